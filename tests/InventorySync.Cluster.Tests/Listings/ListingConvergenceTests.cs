using System.Collections.Concurrent;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Tests.Support;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Tests.Listings;

/// <summary>The production wiring on one node: listings reach their marketplace, also across a node restart.</summary>
public sealed class ListingConvergenceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static void Channels(InventorySettings settings) =>
        settings.Channels["shop"] = new ChannelSettings
        {
            Marketplace = "webhook", BaseUrl = "http://127.0.0.1:9/hook",
            RateLimit = new RateLimitSettings { PerSecond = 100, Burst = 10 },
        };

    [Fact]
    public async Task A_listing_pending_when_its_node_stops_reaches_the_marketplace_after_a_restart_without_any_command()
    {
        var store = Stores.NewSqlite();
        var down = new Marketplace(up: false);
        await using (var node = await TestNode.StartAsync(store, Channels, down))
        {
            Assert.True((await node.Client.Send(new SkuCommands.CountStock("R-1", 8, "count-1", "test"))).IsOk);
            Assert.True((await node.Client.Send(new ListingCommands.MapListing("R-1", "shop", "L-1", MarketplaceKind.Webhook,
                new ListingSettings(100, 0, 0, null, OutOfStockRule.Zero)))).IsOk);
            // A second call means the first failure came back and was dealt with: retried, not acknowledged.
            await down.Retried.Task.WaitAsync(Wait);
            var view = await node.Client.GetSku("R-1");
            Assert.True(view.Listings.Single().SyncedVersion == 0, view.Listings.Single().ToString());
        }

        var up = new Marketplace(up: true);
        await using var again = await TestNode.StartAsync(store, Channels, up);
        var applied = await up.Called.Task.WaitAsync(Wait);
        Assert.Equal(("L-1", 8L, ListingStatus.Active), (applied.ListingId, applied.Quantity, applied.Status));
    }

    private sealed class Marketplace(bool up) : IMarketplaceClientFactory, IMarketplaceClient
    {
        private int _calls;

        public TaskCompletionSource<MarketplaceUpdate> Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Retried { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IMarketplaceClient Create(ChannelDefinition channel) => this;

        public Task<IReadOnlyList<UpdateOutcome>> SendAsync(IReadOnlyList<MarketplaceUpdate> batch, CancellationToken ct)
        {
            Called.TrySetResult(batch[0]);
            if (Interlocked.Increment(ref _calls) == 2) Retried.TrySetResult();
            return up
                ? Task.FromResult<IReadOnlyList<UpdateOutcome>>(batch.Select(u => new UpdateOutcome(u.ListingId, UpdateResult.Applied)).ToList())
                : Task.FromResult<IReadOnlyList<UpdateOutcome>>(batch.Select(u =>
                    new UpdateOutcome(u.ListingId, UpdateResult.TransientFailure, Message: "HTTP 503")).ToList());
        }
    }
}
