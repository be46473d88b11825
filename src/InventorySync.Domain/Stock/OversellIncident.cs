namespace InventorySync.Domain.Stock;

public static class OversellCauses
{
    /// <summary>A marketplace sale that had already happened took more than was available.</summary>
    public const string SaleBeyondStock = "sale-beyond-stock";

    /// <summary>A stock count came in below what was reserved; the newest reservations went to back-order.</summary>
    public const string CountBelowReserved = "count-below-reserved";
}

/// <summary>
/// Units promised to buyers that the seller does not have. Operations must source them or cancel the orders.
/// </summary>
public sealed record OversellIncident(
    string Sku,
    string Cause,
    long BackorderedQuantity,
    IReadOnlyList<Reallocation> Lines,
    string? Channel,
    string? Reference,
    DateTimeOffset At) : IInventoryMessage;
