namespace InventorySync.Sandbox.Common;

/// <summary>The statuses a sandbox listing can have, as the control API and the update log spell them.</summary>
internal static class ListingStatus
{
    public const string Active = "active";

    /// <summary>eBay: the listing is over; a relist gives a new listing id.</summary>
    public const string Ended = "ended";

    /// <summary>Amazon: the offer is out of stock and not buyable; quantity above 0 reactivates it.</summary>
    public const string Inactive = "inactive";
}

/// <summary>A listing as the control API shows it.</summary>
/// <param name="Listing">Its key: the offer id, the first item id of a Trading listing, the seller SKU.</param>
/// <param name="Kind"><c>offer</c> (eBay Inventory API), <c>item</c> (eBay Trading API) or <c>sku</c> (Amazon).</param>
/// <param name="ListingId">The current listing id: the newest one.</param>
/// <param name="ListingIds">Every listing id it has had, oldest first.</param>
/// <param name="ActiveListingIds">The listing ids live now: more than one means a duplicated relist.</param>
public sealed record ListingView(
    string Listing,
    string Kind,
    string? Sku,
    string ListingId,
    int Quantity,
    string Status,
    bool OutOfStockControl,
    int SoldQuantity,
    IReadOnlyList<string> ListingIds,
    IReadOnlyList<string> ActiveListingIds);

/// <summary>Names one listing: an eBay offer id or item id, or an Amazon seller SKU.</summary>
public sealed record Purchase(string? OfferId, string? ItemId, string? Sku, int Quantity);

/// <summary>
/// Puts a listing in a given state, creating it if needed (as the seller would have listed it).
/// <see cref="Sku"/> is the listing for Amazon, and the offer's or item's SKU for eBay.
/// </summary>
public sealed record ListingSeed(
    string? OfferId,
    string? ItemId,
    string? Sku,
    int Quantity,
    string? Status = null,
    bool? OutOfStockControl = null);

internal enum ControlFailure
{
    None,
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>The outcome of a control call on a listing: the listing after it, or why it failed.</summary>
internal sealed record ControlResult(ListingView? Listing, ControlFailure Failure, string Detail)
{
    public static ControlResult Ok(ListingView listing) => new(listing, ControlFailure.None, "");

    public static ControlResult Fail(ControlFailure failure, string detail) => new(null, failure, detail);

    /// <summary>A purchase from a listing that is not active, or of more than it shows.</summary>
    public static ControlResult CannotBuy(string listing, string status, int shows, int quantity) =>
        Fail(ControlFailure.Conflict, $"{listing} is {status} and shows {shows}: {quantity} cannot be bought.");
}

/// <summary>One sandbox marketplace as the control API sees it.</summary>
internal interface IMarketplaceSandbox
{
    /// <summary>The path segment under <c>/sandbox</c>.</summary>
    string Name { get; }

    MarketplaceRuntime Runtime { get; }

    IReadOnlyList<ListingView> AllListings();

    /// <summary>The listing with this key or listing id.</summary>
    ListingView? Find(string id);

    /// <summary>A buyer buys units: only from an active listing that shows at least that many.</summary>
    ControlResult Buy(Purchase purchase);

    ControlResult Seed(ListingSeed seed);

    /// <summary>Forgets every listing, feed and logged update.</summary>
    void Reset();
}
