using System.Text.Json.Nodes;
using InventorySync.Channels.Ebay;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Channels.Tests.Support;
using InventorySync.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace InventorySync.Channels.Tests.Ebay;

/// <summary>
/// The sandbox's eBay (see <see cref="SandboxServer"/>) on a fake clock that stands still, so its rate limits are the
/// test's to decide; the Inventory API's rate limit is off unless a test sets one. Adapters reach it through
/// <see cref="Http"/>, which records every request.
/// </summary>
internal sealed class EbaySandboxHost : SandboxHost
{
    public const string Token = "v^1.1#i^1#p^3#r^1#f^0#t^Ul4xMF8yOkQ5-eBay-secret-token";

    private EbaySandboxHost(WebApplication app, Uri root) : base(app, root, "ebay") =>
        Http = new HttpClient(Recorder) { Timeout = Timeout.InfiniteTimeSpan };

    public EbayRecorder Recorder { get; } = new();

    /// <summary>The recorded requests to the sandbox, leaving out those to other servers (a token endpoint).</summary>
    public IReadOnlyList<EbayRequest> ApiRequests => Recorder.Requests.Where(r => r.Uri.Port == Root.Port).ToList();

    /// <summary>The adapters' HttpClient: no retries, no redirects, every request recorded.</summary>
    public HttpClient Http { get; }

    public static async Task<EbaySandboxHost> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var (app, root) = await SandboxServer.StartAsync(new FakeTimeProvider(SandboxServer.Start), options =>
        {
            options.Ebay.InventoryRateLimit = new RateLimitOptions { PerSecond = 0 };
            configure?.Invoke(options);
        });
        return new EbaySandboxHost(app, root);
    }

    /// <summary>A channel at the sandbox with the static <see cref="Token"/> unless other credentials are given.</summary>
    public ChannelDefinition Channel(
        MarketplaceKind kind, int batchSize, IReadOnlyDictionary<string, string>? credentials = null) =>
        new(kind == MarketplaceKind.Ebay ? "ebay-us" : "ebay-legacy", kind, BaseUrl,
            credentials ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["AccessToken"] = Token },
            RatePerSecond: 10, Burst: 10, batchSize, BatchLinger: TimeSpan.Zero, OutOfStock: OutOfStockRule.End,
            CallTimeout: TimeSpan.FromSeconds(10), LandingGrace: TimeSpan.FromSeconds(20));

    public EbayInventoryClient Inventory(int batchSize = EbayInventoryClient.MaxEntriesPerCall,
        IReadOnlyDictionary<string, string>? credentials = null, TimeProvider? clock = null) =>
        new(Channel(MarketplaceKind.Ebay, batchSize, credentials), Http, clock ?? TimeProvider.System);

    public EbayTradingClient Trading(int batchSize = EbayTradingClient.MaxRevisionsPerCall) =>
        new(Channel(MarketplaceKind.EbayTrading, batchSize), Http, TimeProvider.System);

    /// <summary>Puts an offer (Inventory API) in a state, as the seller would have listed it.</summary>
    public async Task<JsonNode> SeedOfferAsync(string offerId, string sku, int quantity, string status = "active",
        bool outOfStockControl = false) =>
        JsonNode.Parse(await PostAsync("listings", new { offerId, sku, quantity, status, outOfStockControl }))!;

    /// <summary>Puts an item (Trading API) in a state, as the seller would have listed it.</summary>
    public Task SeedItemAsync(string itemId, int quantity, string status = "active", bool outOfStockControl = false) =>
        PostAsync("listings", new { itemId, quantity, status, outOfStockControl });

    /// <summary>Scripts the next calls: <c>{kind, count?, operation?, statusCode?, entries?}</c>.</summary>
    public Task FaultAsync(object fault) => PostAsync("faults", fault);

    public Task BuyAsync(string itemId, int quantity) => PostAsync("buy", new { itemId, quantity });

    public override async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await base.DisposeAsync();
    }
}
