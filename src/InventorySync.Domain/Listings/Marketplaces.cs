namespace InventorySync.Domain.Listings;

/// <summary>
/// What one kind of marketplace API allows and what a channel of that kind gets when its configuration is silent:
/// the out-of-stock rules it can carry out (the first is the default), the batch size and the token bucket.
/// <see cref="MaxBatchSize"/> is the API's hard limit, against which a configured batch size is checked.
/// </summary>
public sealed record MarketplaceProfile(
    MarketplaceKind Kind,
    string WireName,
    IReadOnlyList<OutOfStockRule> SupportedOutOfStock,
    int DefaultBatchSize,
    int MaxBatchSize,
    double DefaultRatePerSecond,
    int DefaultBurst,
    int BulkBatchSize = 0)
{
    public OutOfStockRule DefaultOutOfStock => SupportedOutOfStock[0];

    public bool Supports(OutOfStockRule rule) => SupportedOutOfStock.Contains(rule);
}

/// <summary>
/// The catalog of marketplace kinds and the wire names of the listing enums (configuration, HTTP, CLI). Parsing is
/// case-insensitive and accepts only the wire names, never enum member names or numbers.
/// </summary>
public static class Marketplaces
{
    /// <summary>Limits and defaults per kind; the facts are in MARKETPLACES.md.</summary>
    public static IReadOnlyList<MarketplaceProfile> All { get; } =
    [
        // bulk_update_price_quantity takes at most 25 entries. eBay documents daily call quotas, not a per-second rate:
        // 10/s (864,000 calls a day) stays under the 18 concurrent calls allowed per application; fit it to the quota.
        new(MarketplaceKind.Ebay, "ebay", [OutOfStockRule.End, OutOfStockRule.Zero], 25, 25, 10, 10),
        // ReviseInventoryStatus takes at most 4 listings (more is error 21916254); 6,000 calls per 15 s per seller
        // allows 400/s, but an application may have at most 18 calls in flight.
        new(MarketplaceKind.EbayTrading, "ebay-trading", [OutOfStockRule.End, OutOfStockRule.Zero], 4, 4, 50, 18),
        // Listings Items PATCH: one SKU per call, 5 requests/s with a burst of 5. Quantity 0 makes the offer inactive.
        // A backlog beyond a minute of PATCHes goes as one JSON_LISTINGS_FEED of up to 10,000 listings (bulk).
        new(MarketplaceKind.Amazon, "amazon", [OutOfStockRule.Zero], 1, 10_000, 5, 5, BulkBatchSize: 10_000),
        // genericimportfile: at most 10 files per hour, so one file every 6 minutes. The file size has no documented
        // limit: 1,000 changed adverts per file by default, 10,000 at most.
        new(MarketplaceKind.Rakuten, "rakuten", [OutOfStockRule.Disable, OutOfStockRule.Zero], 1_000, 10_000, 10.0 / 3600, 1),
        // Stock import (STO01) at most once per minute, advisory only: the gateway must keep to it. The CSV size has
        // no documented limit: 1,000 offers per import by default, 10,000 at most.
        new(MarketplaceKind.Mirakl, "mirakl", [OutOfStockRule.Disable, OutOfStockRule.Zero], 1_000, 10_000, 1.0 / 60, 1),
        // GraphQL input arrays take at most 250 elements; 2 calls/s is the REST standard-plan rate, well inside the
        // smallest GraphQL budget (100 points/s).
        new(MarketplaceKind.Shopify, "shopify", [OutOfStockRule.Zero, OutOfStockRule.ZeroBackorder], 250, 250, 2, 2),
        // With input limits on, a synchronous request takes at most 20 entities. No documented rate (self-hosted).
        new(MarketplaceKind.Magento, "magento",
            [OutOfStockRule.Disable, OutOfStockRule.Zero, OutOfStockRule.ZeroBackorder], 20, 20, 10, 10),
        // products/batch takes at most 100 items (413 above). No documented rate (self-hosted).
        new(MarketplaceKind.WooCommerce, "woocommerce",
            [OutOfStockRule.Disable, OutOfStockRule.Zero, OutOfStockRule.ZeroBackorder], 100, 100, 5, 5),
        // Bespoke shops behind our own webhook contract: one listing per call, any rule, limited only by the receiver.
        new(MarketplaceKind.Webhook, "webhook",
            [OutOfStockRule.Zero, OutOfStockRule.End, OutOfStockRule.Disable, OutOfStockRule.ZeroBackorder], 1, 1, 50, 50),
    ];

    /// <summary>Every out-of-stock rule in the order error messages list them.</summary>
    public static IReadOnlyList<OutOfStockRule> OutOfStockRules { get; } =
        [OutOfStockRule.End, OutOfStockRule.Zero, OutOfStockRule.Disable, OutOfStockRule.ZeroBackorder];

    private static readonly Dictionary<MarketplaceKind, MarketplaceProfile> ByKind = All.ToDictionary(p => p.Kind);

    private static readonly Dictionary<string, MarketplaceKind> KindsByName =
        All.ToDictionary(p => p.WireName, p => p.Kind, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, OutOfStockRule> RulesByName =
        OutOfStockRules.ToDictionary(WireName, r => r, StringComparer.OrdinalIgnoreCase);

    public static MarketplaceProfile Profile(MarketplaceKind kind) =>
        ByKind.TryGetValue(kind, out var profile) ? profile : throw new ArgumentOutOfRangeException(nameof(kind), kind, null);

    public static string WireName(MarketplaceKind kind) => Profile(kind).WireName;

    public static bool TryParse(string? value, out MarketplaceKind kind) =>
        KindsByName.TryGetValue(value ?? "", out kind);

    public static string WireName(OutOfStockRule rule) => rule switch
    {
        OutOfStockRule.End => "end",
        OutOfStockRule.Zero => "zero",
        OutOfStockRule.Disable => "disable",
        OutOfStockRule.ZeroBackorder => "zero-backorder",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    public static bool TryParseOutOfStock(string? value, out OutOfStockRule rule) =>
        RulesByName.TryGetValue(value ?? "", out rule);

    public static string WireName(ListingStatus status) => status switch
    {
        ListingStatus.Pending => "pending",
        ListingStatus.Active => "active",
        ListingStatus.Ended => "ended",
        ListingStatus.Inactive => "inactive",
        ListingStatus.Disabled => "disabled",
        ListingStatus.Backorder => "backorder",
        ListingStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
