namespace InventorySync.Domain.Stock;

/// <summary>Anything addressed to one SKU entity.</summary>
public interface IWithSku
{
    string Sku { get; }
}

public static class SkuCommands
{
    public interface ISkuCommand : IWithSku, IInventoryMessage;

    /// <summary>A stock count: the physical truth, always accepted.</summary>
    public sealed record CountStock(string Sku, long OnHand, string Reference, string Source) : ISkuCommand;

    /// <summary>A receipt (positive delta) or a write-off (negative delta).</summary>
    public sealed record AdjustStock(string Sku, long Delta, string Reference, string Source) : ISkuCommand;

    public sealed record Reserve(
        string Sku, string OrderId, string LineId, long Quantity, bool AllowBackorder, string Channel) : ISkuCommand;

    public sealed record CancelReservation(string Sku, string OrderId, string LineId) : ISkuCommand;

    public sealed record DispatchReservation(string Sku, string OrderId, string LineId) : ISkuCommand;
}

public enum SkuResultCode { Ok, Invalid, NotFound, Conflict }

/// <summary>The SKU entity's answer to a command: the outcome, the levels after it, and the line it concerned.</summary>
public sealed record SkuReply(
    string Sku,
    SkuResultCode Code,
    string? Detail,
    StockLevels Levels,
    ReservationOutcome? Line) : IInventoryMessage
{
    public bool IsOk => Code == SkuResultCode.Ok;
}

/// <summary>Commands about a SKU's listings (map, unmap, what the channel gateway reports).</summary>
public static class ListingCommands
{
    /// <summary>Maps a listing, or changes its settings. <see cref="Marketplace"/> is the channel's kind, so the
    /// out-of-stock rule can be checked against it.</summary>
    public sealed record MapListing(
        string Sku, string Channel, string ListingId, InventorySync.Domain.Listings.MarketplaceKind Marketplace,
        InventorySync.Domain.Listings.ListingSettings Settings) : SkuCommands.ISkuCommand;

    public sealed record UnmapListing(string Sku, string Channel, string ListingId) : SkuCommands.ISkuCommand;

    /// <summary>
    /// Sent by the channel gateway: the marketplace applied <see cref="Version"/> (<see cref="Applied"/> true, with the
    /// quantity and status it now shows and its current listing id), or refused it for good (<see cref="Applied"/>
    /// false, <see cref="Message"/> says why).
    /// </summary>
    public sealed record AcknowledgeListing(
        string Sku, string Channel, string ListingId, long Version, bool Applied, long Quantity,
        InventorySync.Domain.Listings.ListingStatus Status, string? CurrentListingId, string? Message)
        : SkuCommands.ISkuCommand;
}
