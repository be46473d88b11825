using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Channels.Tests.Support;
using InventorySync.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace InventorySync.Channels.Tests.Amazon;

/// <summary>
/// The sandbox's Amazon (see <see cref="SandboxServer"/>) on a fake <see cref="Clock"/> that stands still unless the
/// test moves it, so the sandbox's rate limits and feed times are the test's to decide. The adapter runs on its own clock.
/// </summary>
internal sealed class AmazonSandboxHost : SandboxHost
{
    public const string SellerId = "A2SELLER";
    public const string MarketplaceId = "A1PM3R0FR8W9XZ";

    private AmazonSandboxHost(WebApplication app, FakeTimeProvider clock, Uri root) : base(app, root, "amazon") => Clock = clock;

    public FakeTimeProvider Clock { get; }

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

    public Task SeedAsync(string sku, int quantity) => PostAsync("listings", new { sku, quantity });

    /// <summary>Scripts a fault for the next call(s): <c>{kind, count?, operation?, statusCode?, entries?}</c>.</summary>
    public Task ScriptFaultAsync(object fault) => PostAsync("faults", fault);
}
