using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Amazon;

/// <summary>The Amazon sandbox: the seller's listings items, the Feeds API, one log.</summary>
internal sealed class AmazonSandbox : IMarketplaceSandbox, IDisposable
{
    public const string ListingsRateLimit = "listings";

    public AmazonSandbox(AmazonSandboxOptions options, TimeProvider clock, CancellationToken stopping)
    {
        Runtime = new MarketplaceRuntime(
            options,
            new Dictionary<string, RateLimitOptions> { [ListingsRateLimit] = options.ListingsRateLimit },
            clock,
            stopping);
        Listings = new AmazonListings(Runtime.Log, clock);
        Feeds = new AmazonFeeds(options, Runtime, Listings);
    }

    public string Name => "amazon";

    public MarketplaceRuntime Runtime { get; }

    public AmazonListings Listings { get; }

    public AmazonFeeds Feeds { get; }

    public IReadOnlyList<ListingView> AllListings() => Listings.Views();

    public ListingView? Find(string id) => Listings.Find(id);

    public ControlResult Buy(Purchase purchase) =>
        purchase is { Sku: { } sku, OfferId: null, ItemId: null }
            ? Listings.Buy(sku, purchase.Quantity)
            : ControlResult.Fail(ControlFailure.Invalid, "Name the Amazon listing by its seller sku.");

    public ControlResult Seed(ListingSeed seed) => Listings.Seed(seed);

    public void Reset()
    {
        Listings.Clear();
        Feeds.Clear();
        Runtime.Log.Clear();
        Runtime.Faults.Clear();
    }

    public void Dispose() => Feeds.Dispose();
}
