using InventorySync.Domain.Listings;

namespace InventorySync.Domain.Stock;

/// <summary>
/// Facts recorded by a SKU entity, in the past tense. Each carries the levels after it (the history shows them) and
/// every reallocation it caused, so replaying never re-runs a rule that may since have changed.
/// </summary>
public static class SkuEvents
{
    public interface ISkuEvent : IWithSku, IInventoryMessage
    {
        DateTimeOffset At { get; }
        StockLevels After { get; }
    }

    public sealed record StockCounted(
        string Sku, long OnHand, string Reference, string Source,
        IReadOnlyList<Reallocation> Reallocations, StockLevels After, DateTimeOffset At) : ISkuEvent;

    public sealed record StockAdjusted(
        string Sku, long Delta, string Reference, string Source,
        IReadOnlyList<Reallocation> Reallocations, StockLevels After, DateTimeOffset At) : ISkuEvent;

    /// <summary>A write-off that would have taken on-hand below reserved; recorded so a retry gets the same answer.</summary>
    public sealed record AdjustmentRefused(
        string Sku, long Delta, string Reference, string Source, string Reason,
        StockLevels After, DateTimeOffset At) : ISkuEvent;

    public sealed record Reserved(
        string Sku, string OrderId, string LineId, long Quantity, long ReservedQuantity, long BackorderedQuantity,
        string Channel, bool AllowBackorder, StockLevels After, DateTimeOffset At) : ISkuEvent;

    public sealed record ReservationRejected(
        string Sku, string OrderId, string LineId, long Quantity, string Channel,
        StockLevels After, DateTimeOffset At) : ISkuEvent;

    public sealed record ReservationCancelled(
        string Sku, string OrderId, string LineId, IReadOnlyList<Reallocation> Reallocations,
        StockLevels After, DateTimeOffset At) : ISkuEvent;

    public sealed record ReservationDispatched(
        string Sku, string OrderId, string LineId, long Quantity, StockLevels After, DateTimeOffset At) : ISkuEvent;

    public sealed record OversellRecorded(string Sku, OversellIncident Incident, StockLevels After, DateTimeOffset At)
        : ISkuEvent;

    /// <summary>A listing was mapped to the SKU, or its settings changed.</summary>
    public sealed record ListingMapped(
        string Sku, string Channel, string ListingId, MarketplaceKind Marketplace, ListingSettings Settings,
        StockLevels After, DateTimeOffset At) : ISkuEvent;

    public sealed record ListingUnmapped(string Sku, string Channel, string ListingId, StockLevels After, DateTimeOffset At)
        : ISkuEvent;

    /// <summary>The marketplace applied <see cref="Version"/> of a listing and now shows this quantity and status.</summary>
    public sealed record ListingSynced(
        string Sku, string Channel, string ListingId, long Version, long Quantity, ListingStatus Status,
        string CurrentListingId, StockLevels After, DateTimeOffset At) : ISkuEvent;

    /// <summary>The marketplace refused <see cref="Version"/> of a listing for good; an operator must look.</summary>
    public sealed record ListingRefused(
        string Sku, string Channel, string ListingId, long Version, string Message, StockLevels After,
        DateTimeOffset At) : ISkuEvent;

    /// <summary>Name of an event in the history and in logs.</summary>
    public static string KindOf(ISkuEvent e) => e switch
    {
        StockCounted => "stock-counted",
        StockAdjusted a => a.Delta > 0 ? "received" : "written-off",
        AdjustmentRefused => "adjustment-refused",
        Reserved r => r.BackorderedQuantity > 0 ? "backordered" : "reserved",
        ReservationRejected => "reservation-rejected",
        ReservationCancelled => "reservation-cancelled",
        ReservationDispatched => "dispatched",
        OversellRecorded => "oversell",
        ListingMapped => "listing-mapped",
        ListingUnmapped => "listing-unmapped",
        ListingSynced => "listing-synced",
        ListingRefused => "listing-refused",
        _ => e.GetType().Name,
    };
}
