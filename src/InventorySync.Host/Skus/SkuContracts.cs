using InventorySync.Cluster.Stock;
using InventorySync.Domain.Listings;
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
    public static SkuResponse From(SkuView view) => new(view.Sku, view.Levels.OnHand, view.Levels.Reserved,
        view.Levels.Backordered, view.Levels.Available, view.Listings.Select(ListingResponse.From).ToList());
}

/// <summary>
/// A mapped listing as the contract describes it, with the settings it was mapped with. <c>publishedQuantity</c> is
/// null until the marketplace first acknowledges an update.
/// </summary>
public sealed record ListingResponse(
    string Channel, string ListingId, string CurrentListingId, string Status, long DesiredQuantity,
    long? PublishedQuantity, long DesiredVersion, long SyncedVersion, string? LastError, ListingSettingsResponse Settings)
{
    public static ListingResponse From(ListingView x) => new(x.Channel, x.ListingId, x.CurrentListingId,
        Marketplaces.WireName(x.Status), x.DesiredQuantity, x.PublishedQuantity, x.DesiredVersion, x.SyncedVersion,
        x.LastError, ListingSettingsResponse.From(x.Settings));
}

public sealed record ListingSettingsResponse(
    int Percentage, long Buffer, long MinQuantity, long? MaxQuantity, string OutOfStock)
{
    public static ListingSettingsResponse From(ListingSettings s) =>
        new(s.Percentage, s.Buffer, s.MinQuantity, s.MaxQuantity, Marketplaces.WireName(s.OutOfStock));
}

/// <summary>Body of <c>PUT /api/v1/skus/{sku}/listings/{channel}/{listingId}</c>: absent fields take their defaults.</summary>
public sealed record ListingBody(int? Percentage, long? Buffer, long? MinQuantity, long? MaxQuantity, string? OutOfStock);

public sealed record HistoryResponse(IReadOnlyList<HistoryEntryResponse> Entries);

public sealed record HistoryEntryResponse(
    DateTimeOffset At, string Kind, LevelsResponse Before, LevelsResponse After, string? Source, string? Reference)
{
    public static HistoryEntryResponse From(HistoryEntry e) =>
        new(e.At, e.Kind, LevelsResponse.From(e.Before), LevelsResponse.From(e.After), e.Source, e.Reference);
}
