using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Listings;
using InventorySync.Cluster.Stock;
using InventorySync.Cluster.Tests.Support;
using InventorySync.Domain.Stock;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;
using static InventorySync.Cluster.Tests.Channels.CoreSimulation;

namespace InventorySync.Cluster.Tests.Channels;

/// <summary>
/// The production registration on a real single-node cluster and SQLite store, with a probe standing in for the
/// <c>sku</c> region: the gateway starts by itself, acknowledges to the SKUs, and comes back after a restart.
/// </summary>
public sealed class ChannelHostingTests(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan ClusterWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_gateway_runs_in_the_channel_region_acknowledges_to_the_sku_region_and_comes_back_after_a_restart()
    {
        var store = Stores.NewSqlite();
        var skus = CreateTestProbe();
        var marketplace = new ScriptedMarketplaceClient(TimeProvider.System);

        using (var node = await StartNode(store, skus, marketplace))
        {
            var gateways = node.Services.GetRequiredService<IReadOnlyActorRegistry>().Get<ChannelRegion>();
            gateways.Tell(PublishOf("L-1", 5, 1));
            var acknowledgement = skus.ExpectMsg<ListingCommands.AcknowledgeListing>(ClusterWait);
            Assert.Equal(("S-L-1", "L-1", 1L, true), (acknowledgement.Sku, acknowledgement.ListingId, acknowledgement.Version, acknowledgement.Applied));
            await node.StopAsync(ClusterWait);
        }

        using (var node = await StartNode(store, skus, marketplace))
        {
            // Nothing is sent to the region: the node's waker starts the gateway, which asks its directory's SKUs.
            Assert.Equal(new ListingSignals.SyncListing("S-L-1", "ebay-uk", "L-1", false),
                skus.ExpectMsg<ListingSignals.SyncListing>(ClusterWait));
            await node.StopAsync(ClusterWait);
        }
        Assert.Single(marketplace.Calls);
    }

    private static async Task<IHost> StartNode(PersistenceSettings store, TestProbe skus, ScriptedMarketplaceClient marketplace)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("channels-test", (akka, _) => akka
            .WithInventorySerialization()
            .WithInventoryPersistence(store)
            .WithInventoryCluster(new ClusterSettings { Port = 0 })
            .WithActors((_, registry) => registry.Register<SkuRegion>(skus.Ref))
            .WithChannelGateways([Definition(ratePerSecond: 50, burst: 5, lingerMs: 10)], new ScriptedClients(marketplace),
                TimeProvider.System));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
