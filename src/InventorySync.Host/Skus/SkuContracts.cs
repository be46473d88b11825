using InventorySync.Cluster.Stock;
using InventorySync.Domain.Stock;

namespace InventorySync.Host.Skus;

/// <summary>Body of <c>PUT /api/v1/skus/{sku}/stock</c>. Fields are nullable so a missing one is reported, not defaulted.</summary>
public sealed record StockCountBody(long? OnHand, string? Reference);

/// <summary>Body of <c>POST /api/v1/skus/{sku}/stock/adjustments</c>: a receipt (+) or a write-off (−).</summary>
public sealed record StockAdjustmentBody(long? Delta, string? Reference);

public sealed record LevelsResponse(long OnHand, long Reserved, long Backordered, long Available)
{
    public static LevelsResponse From(StockLevels levels) =>
        new(levels.OnHand, levels.Reserved, levels.Backordered, levels.Available);
}

public sealed record SkuResponse(
    string Sku, long OnHand, long Reserved, long Backordered, long Available, IReadOnlyList<ListingResponse> Listings)
{
    public static SkuResponse From(string sku, StockLevels levels) =>
        new(sku, levels.OnHand, levels.Reserved, levels.Backordered, levels.Available, []);
}

/// <summary>A mapped listing as the contract describes it; SKUs have no listings until listing mapping lands.</summary>
public sealed record ListingResponse(
    string Channel, string ListingId, string? CurrentListingId, string Status, long DesiredQuantity,
    long? PublishedQuantity, long DesiredVersion, long SyncedVersion, string? LastError);

public sealed record HistoryResponse(IReadOnlyList<HistoryEntryResponse> Entries);

public sealed record HistoryEntryResponse(
    DateTimeOffset At, string Kind, LevelsResponse Before, LevelsResponse After, string? Source, string? Reference)
{
    public static HistoryEntryResponse From(HistoryEntry e) =>
        new(e.At, e.Kind, LevelsResponse.From(e.Before), LevelsResponse.From(e.After), e.Source, e.Reference);
}
