using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Channels.Tests.Support;
using InventorySync.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace InventorySync.Channels.Tests.Amazon;

/// <summary>
/// The sandbox marketplaces on a real Kestrel (loopback, port 0), mounted the way the node mounts them
/// (<c>AddSandbox</c> + <c>MapSandbox</c>), on a fake clock that stands still unless the test moves it, so the
/// sandbox's rate limits and feed times are the test's to decide. The adapter runs on its own clock.
/// </summary>
internal sealed class AmazonSandboxHost : IAsyncDisposable
{
    public const string SellerId = "A2SELLER";
    public const string MarketplaceId = "A1PM3R0FR8W9XZ";

    private readonly WebApplication _app;

    private AmazonSandboxHost(WebApplication app, FakeTimeProvider clock, Uri root)
    {
        _app = app;
        Clock = clock;
        Root = root;
        Control = new HttpClient { BaseAddress = new Uri(root, "sandbox/amazon/_control/") };
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; }

    /// <summary>What a channel's <c>BaseUrl</c> is set to: the Amazon API root below the sandbox's prefix.</summary>
    public Uri BaseUrl => new(Root, "sandbox/amazon");

    private HttpClient Control { get; }

    /// <summary>Feeds are processed as soon as they are created unless <paramref name="configure"/> says otherwise.</summary>
    public static async Task<AmazonSandboxHost> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var clock = new FakeTimeProvider(SandboxServer.Start);
        var (app, root) = await SandboxServer.StartAsync(clock, options =>
        {
            options.Amazon.FeedQueueTime = TimeSpan.Zero;
            options.Amazon.FeedProcessingTime = TimeSpan.Zero;
            configure?.Invoke(options);
        });
        return new AmazonSandboxHost(app, clock, root);
    }

    /// <summary>An <c>amazon</c> channel at the sandbox with the catalog's rate (5/s, burst 5) unless told otherwise.</summary>
    public ChannelDefinition Channel(
        IReadOnlyDictionary<string, string>? credentials = null, double ratePerSecond = 5, int burst = 5, int batchSize = 1) =>
        new("amazon-fr", MarketplaceKind.Amazon, BaseUrl,
            credentials ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["SellerId"] = SellerId,
                ["MarketplaceId"] = MarketplaceId,
                ["AccessToken"] = AmazonTestData.AccessToken,
            },
            ratePerSecond, burst, batchSize, BatchLinger: TimeSpan.Zero, OutOfStock: OutOfStockRule.Zero,
            CallTimeout: TimeSpan.FromSeconds(10), LandingGrace: TimeSpan.FromSeconds(20));

    /// <summary>The listing as the sandbox's control API shows it: <c>{quantity, status, …}</c>.</summary>
    public async Task<JsonNode> ListingAsync(string sku)
    {
        using var response = await Control.GetAsync($"listings/{Uri.EscapeDataString(sku)}");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Every applied update, oldest first: <c>{listing, operation, quantity, status}</c>.</summary>
    public async Task<JsonArray> LogAsync()
    {
        using var response = await Control.GetAsync("log");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    public async Task SeedAsync(string sku, int quantity)
    {
        using var response = await Control.PostAsJsonAsync("listings", new { sku, quantity });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Scripts a fault for the next call(s): <c>{kind, count?, operation?, statusCode?, entries?}</c>.</summary>
    public async Task ScriptFaultAsync(object fault)
    {
        using var response = await Control.PostAsJsonAsync("faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await _app.DisposeAsync();
    }
}
