using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Listings;
using InventorySync.Cluster.Stock;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;
using Xunit.Abstractions;

namespace InventorySync.Cluster.Tests.Listings;

/// <summary>
/// A SKU entity's listing children against a probe standing in for the channel region: what they publish, when they
/// re-send, what a restart re-publishes, and that a pending listing keeps the SKU from passivating.
/// </summary>
public sealed class SkuListingTests : TestKit
{
    private static readonly Config InMemoryStores = ConfigurationFactory.ParseString("""
        akka.persistence {
          journal { plugin = "akka.persistence.journal.inmem" }
          snapshot-store { plugin = "akka.persistence.snapshot-store.inmem" }
        }
        """);

    private static readonly ListingSettings Defaults = new(100, 0, 0, null, OutOfStockRule.End);

    private readonly TestProbe _gateway;

    public SkuListingTests(ITestOutputHelper output) : base(InMemoryStores, output: output) => _gateway = CreateTestProbe();

    private IActorRef Sku(string sku, TimeSpan? passivateAfter = null, IActorRef? parent = null)
    {
        var settings = new SkuSettings
        {
            PassivateAfter = passivateAfter ?? TimeSpan.FromMinutes(5),
            ListingResendAfter = TimeSpan.FromMilliseconds(300),
            ListingResendMax = TimeSpan.FromMilliseconds(600),
        };
        var props = SkuEntity.Props(sku, settings, TimeProvider.System, () => _gateway.Ref);
        return parent is null ? Sys.ActorOf(props) : ParentOf(parent, props);
    }

    private IActorRef ParentOf(IActorRef probe, Props child) =>
        Sys.ActorOf(Props.Create(() => new ForwardingParent(probe, child)));

    private void Send(IActorRef sku, SkuCommands.ISkuCommand command)
    {
        sku.Tell(command, TestActor);
        Assert.True(ExpectMsg<SkuReply>(TimeSpan.FromSeconds(5)).IsOk);
    }

    [Fact]
    public void A_mapped_listing_publishes_its_desired_state_and_re_sends_it_until_acknowledged()
    {
        var sku = Sku("S1");
        Send(sku, new SkuCommands.CountStock("S1", 6, "count-1", "test"));
        Send(sku, new ListingCommands.MapListing("S1", "ebay", "offer-1", MarketplaceKind.Ebay, Defaults));

        var first = _gateway.ExpectMsg<ChannelCommands.Publish>(TimeSpan.FromSeconds(3));
        Assert.Equal(("ebay", "offer-1", "S1", 6L, ListingStatus.Active, 2L, false),
            (first.Channel, first.ListingId, first.Sku, first.Quantity, first.Status, first.Version, first.Force));
        Assert.Null(first.PublishedQuantity);

        var again = _gateway.ExpectMsg<ChannelCommands.Publish>(TimeSpan.FromSeconds(3));
        Assert.Equal(first, again);

        sku.Tell(new ListingCommands.AcknowledgeListing("S1", "ebay", "offer-1", 2, true, 6, ListingStatus.Active, null, null));
        AwaitWritten(sku, "S1");
        _gateway.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m); // a re-send may have crossed the acknowledgement
        _gateway.ExpectNoMsg(TimeSpan.FromMilliseconds(1_500));
    }

    [Fact]
    public void A_stock_change_publishes_a_newer_version_and_the_acknowledged_values_travel_with_it()
    {
        var sku = Sku("S2");
        Send(sku, new SkuCommands.CountStock("S2", 4, "count-1", "test"));
        Send(sku, new ListingCommands.MapListing("S2", "amazon", "A-1", MarketplaceKind.Amazon,
            Defaults with { OutOfStock = OutOfStockRule.Zero }));
        var mapped = _gateway.ExpectMsg<ChannelCommands.Publish>(TimeSpan.FromSeconds(3));
        sku.Tell(new ListingCommands.AcknowledgeListing("S2", "amazon", "A-1", mapped.Version, true, 4, ListingStatus.Active, null, null));
        AwaitWritten(sku, "S2");

        Send(sku, new SkuCommands.Reserve("S2", "o1", "l1", 4, false, "web"));
        var soldOut = _gateway.FishForMessage<ChannelCommands.Publish>(p => p.Version > mapped.Version, TimeSpan.FromSeconds(3));
        Assert.Equal((0L, ListingStatus.Inactive, 4L, ListingStatus.Active),
            (soldOut.Quantity, soldOut.Status, soldOut.PublishedQuantity, soldOut.PublishedStatus));
    }

    [Fact]
    public void After_a_restart_a_pending_listing_is_published_again_without_any_command_and_a_synced_one_is_not()
    {
        var sku = Sku("S3");
        Send(sku, new SkuCommands.CountStock("S3", 3, "count-1", "test"));
        Send(sku, new ListingCommands.MapListing("S3", "ebay", "pending", MarketplaceKind.Ebay, Defaults));
        Send(sku, new ListingCommands.MapListing("S3", "ebay", "synced", MarketplaceKind.Ebay, Defaults));
        var published = _gateway.ReceiveN(2, TimeSpan.FromSeconds(3)).Cast<ChannelCommands.Publish>()
            .ToDictionary(p => p.ListingId);
        sku.Tell(new ListingCommands.AcknowledgeListing("S3", "ebay", "synced", published["synced"].Version, true, 3,
            ListingStatus.Active, null, null));
        sku.Tell(new SkuQueries.GetSku("S3"), TestActor);
        Assert.Contains(ExpectMsg<SkuView>().Listings, x => x.ListingId == "synced" && x.SyncedVersion == published["synced"].Version);

        Watch(sku);
        Sys.Stop(sku);
        ExpectTerminated(sku);
        _gateway.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m); // re-sends of the first incarnation

        Sku("S3");
        var republished = _gateway.ExpectMsg<ChannelCommands.Publish>(TimeSpan.FromSeconds(3));
        Assert.Equal(published["pending"], republished);
        _gateway.FishForMessage<ChannelCommands.Publish>(p => p.ListingId == "pending", TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(_gateway.ReceiveWhile(TimeSpan.FromSeconds(1), m => (ChannelCommands.Publish)m),
            p => p.ListingId == "synced");
    }

    [Fact]
    public void A_pending_listing_keeps_its_sku_from_passivating_until_it_is_acknowledged()
    {
        var parent = CreateTestProbe();
        var sku = Sku("S4", passivateAfter: TimeSpan.FromMilliseconds(300), parent: parent.Ref);
        sku.Tell(new ListingCommands.MapListing("S4", "ebay", "offer", MarketplaceKind.Ebay, Defaults), TestActor);
        ExpectMsg<SkuReply>(TimeSpan.FromSeconds(5));
        var publish = _gateway.ExpectMsg<ChannelCommands.Publish>(TimeSpan.FromSeconds(3));

        parent.ExpectNoMsg(TimeSpan.FromMilliseconds(1_200));

        sku.Tell(new ListingCommands.AcknowledgeListing("S4", "ebay", "offer", publish.Version, true, 0, ListingStatus.Ended, null, null));
        parent.ExpectMsg<Passivate>(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Unmapping_stops_publishing_and_tells_the_gateway_to_forget_the_listing()
    {
        var sku = Sku("S5");
        Send(sku, new ListingCommands.MapListing("S5", "ebay", "offer", MarketplaceKind.Ebay, Defaults));
        _gateway.ExpectMsg<ChannelCommands.Publish>(TimeSpan.FromSeconds(3));
        Send(sku, new ListingCommands.UnmapListing("S5", "ebay", "offer"));
        _gateway.FishForMessage<ChannelCommands.Forget>(f => f.ListingId == "offer", TimeSpan.FromSeconds(3));
        _gateway.ExpectNoMsg(TimeSpan.FromMilliseconds(1_200));
    }

    [Fact]
    public void A_forced_sync_publishes_an_acknowledged_listing_with_force()
    {
        var sku = Sku("S6");
        Send(sku, new ListingCommands.MapListing("S6", "ebay", "offer", MarketplaceKind.Ebay, Defaults));
        var publish = _gateway.ExpectMsg<ChannelCommands.Publish>(TimeSpan.FromSeconds(3));
        sku.Tell(new ListingCommands.AcknowledgeListing("S6", "ebay", "offer", publish.Version, true, 0, ListingStatus.Ended, null, null));
        AwaitWritten(sku, "S6");
        _gateway.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m);

        sku.Tell(new ListingSignals.SyncListing("S6", "ebay", "offer", Force: false));
        _gateway.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        sku.Tell(new ListingSignals.SyncListing("S6", "ebay", "offer", Force: true));
        var forced = _gateway.ExpectMsg<ChannelCommands.Publish>(TimeSpan.FromSeconds(3));
        Assert.True(forced.Force);
        Assert.Equal((publish.Version, 0L, ListingStatus.Ended), (forced.Version, forced.PublishedQuantity, forced.PublishedStatus));
    }

    /// <summary>Returns once everything the SKU has decided so far is written (its view waits for the writes).</summary>
    private SkuView AwaitWritten(IActorRef sku, string id)
    {
        sku.Tell(new SkuQueries.GetSku(id), TestActor);
        return ExpectMsg<SkuView>(TimeSpan.FromSeconds(5));
    }

    private sealed class ForwardingParent : ReceiveActor
    {
        public ForwardingParent(IActorRef probe, Props child)
        {
            var entity = Context.ActorOf(child, "entity");
            Receive<Passivate>(p => probe.Forward(p));
            ReceiveAny(m => entity.Forward(m));
        }
    }
}
