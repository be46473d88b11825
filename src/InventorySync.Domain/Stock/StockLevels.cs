namespace InventorySync.Domain.Stock;

/// <summary>The stock model of one SKU: physical on-hand, open reservations, and demand with no stock.</summary>
public readonly record struct StockLevels(long OnHand, long Reserved, long Backordered)
{
    public long Available => OnHand - Reserved;

    public bool IsConsistent => Reserved >= 0 && Reserved <= OnHand && Backordered >= 0;

    public static readonly StockLevels Empty = new(0, 0, 0);
}
