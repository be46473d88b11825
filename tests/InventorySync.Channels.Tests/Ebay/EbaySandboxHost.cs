using System.Net.Http.Json;
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
/// The sandbox marketplaces on a real Kestrel (loopback, port 0), mounted the way the node mounts them
/// (<c>AddSandbox</c> + <c>MapSandbox</c>), on a fake clock that stands still, so its rate limits are the test's to
/// decide. The Inventory API's rate limit is off unless a test sets one. Adapters reach it through an HttpClient
/// that records every request.
/// </summary>
internal sealed class EbaySandboxHost : IAsyncDisposable
{
    public const string Token = "v^1.1#i^1#p^3#r^1#f^0#t^Ul4xMF8yOkQ5-eBay-secret-token";

    private readonly WebApplication _app;
    private readonly HttpClient _control;

    private EbaySandboxHost(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
        _control = new HttpClient { BaseAddress = new Uri(root, "sandbox/ebay/_control/") };
        Http = new HttpClient(Recorder) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; }

    /// <summary>What a channel's <c>BaseUrl</c> is set to: the eBay API root below the sandbox's prefix.</summary>
    public Uri BaseUrl => new(Root, "sandbox/ebay");

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
    public Task<JsonNode> SeedOfferAsync(string offerId, string sku, int quantity, string status = "active",
        bool outOfStockControl = false) =>
        PostAsync("listings", new { offerId, sku, quantity, status, outOfStockControl });

    /// <summary>Puts an item (Trading API) in a state, as the seller would have listed it.</summary>
    public Task<JsonNode> SeedItemAsync(string itemId, int quantity, string status = "active", bool outOfStockControl = false) =>
        PostAsync("listings", new { itemId, quantity, status, outOfStockControl });

    /// <summary>A listing as the control API shows it: <c>{quantity, status, listingId, listingIds, activeListingIds, …}</c>.</summary>
    public async Task<JsonNode> ListingAsync(string id) =>
        JsonNode.Parse(await _control.GetStringAsync($"listings/{Uri.EscapeDataString(id)}"))!;

    /// <summary>The applied updates, oldest first: <c>{listing, listingId, operation, quantity, status}</c>.</summary>
    public async Task<JsonArray> LogAsync() => JsonNode.Parse(await _control.GetStringAsync("log"))!.AsArray();

    /// <summary>Scripts the next calls: <c>{kind, count?, operation?, statusCode?, entries?}</c>.</summary>
    public Task FaultAsync(object fault) => PostAsync("faults", fault);

    public Task BuyAsync(string itemId, int quantity) => PostAsync("buy", new { itemId, quantity });

    private async Task<JsonNode> PostAsync(string path, object body)
    {
        using var response = await _control.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _control.Dispose();
        await _app.DisposeAsync();
    }
}
