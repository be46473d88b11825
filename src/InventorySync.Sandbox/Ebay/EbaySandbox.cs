using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Ebay;

/// <summary>The eBay sandbox: the Inventory API's offers and the Trading API's items, one listing id space, one log.</summary>
internal sealed class EbaySandbox : IMarketplaceSandbox
{
    public const string InventoryRateLimit = "inventory";
    public const string TradingRateLimit = "trading";

    private readonly ListingIdSequence listingIds = new();

    public EbaySandbox(EbaySandboxOptions options, TimeProvider clock, CancellationToken stopping)
    {
        Options = options;
        Runtime = new MarketplaceRuntime(
            options,
            new Dictionary<string, RateLimitOptions>
            {
                [InventoryRateLimit] = options.InventoryRateLimit,
                [TradingRateLimit] = options.TradingRateLimit,
            },
            clock,
            stopping);
        Offers = new EbayOffers(Runtime.Log, listingIds, options.OutOfStockControl);
        Items = new EbayItems(Runtime.Log, listingIds, options.OutOfStockControl);
    }

    public string Name => "ebay";

    public EbaySandboxOptions Options { get; }

    public MarketplaceRuntime Runtime { get; }

    public EbayOffers Offers { get; }

    public EbayItems Items { get; }

    public IReadOnlyList<ListingView> AllListings() => [.. Offers.Views(), .. Items.Views()];

    public ListingView? Find(string id) => Offers.Find(id) ?? Items.Find(id);

    public ControlResult Buy(Purchase purchase) =>
        (purchase.OfferId, purchase.ItemId) switch
        {
            ({ } offerId, null) => Offers.Buy(offerId, purchase.Quantity),
            (null, { } itemId) => Items.Buy(itemId, purchase.Quantity),
            _ => ControlResult.Fail(ControlFailure.Invalid, "Name the listing by offerId (Inventory API) or itemId (Trading API)."),
        };

    public ControlResult Seed(ListingSeed seed) =>
        (seed.OfferId, seed.ItemId) switch
        {
            ({ } offerId, null) => Offers.Seed(offerId, seed),
            (null, { } itemId) => Items.Seed(itemId, seed),
            _ => ControlResult.Fail(ControlFailure.Invalid, "Name the listing by offerId (Inventory API) or itemId (Trading API)."),
        };

    public void Reset()
    {
        Offers.Clear();
        Items.Clear();
        listingIds.Clear();
        Runtime.Log.Clear();
        Runtime.Faults.Clear();
    }
}
