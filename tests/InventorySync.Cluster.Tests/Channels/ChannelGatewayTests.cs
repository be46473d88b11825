using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Listings;
using InventorySync.Cluster.Persistence;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static InventorySync.Cluster.Tests.Channels.CoreSimulation;
using Reaction = InventorySync.Cluster.Tests.Channels.ScriptedMarketplaceClient.Reaction;

namespace InventorySync.Cluster.Tests.Channels;

/// <summary>
/// The gateway actor's wiring, on an in-memory journal and a fake clock: acknowledgements reach the SKUs, the
/// directory survives restarts and wakes the SKUs, operators' commands answer, a hand-off waits for calls in flight.
/// </summary>
public sealed class ChannelGatewayTests : TestKit
{
    private static readonly Config InMemoryPersistence = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstToken = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ScriptedMarketplaceClient _marketplace;
    private readonly TestProbe _skus;
    private int _incarnations;

    public ChannelGatewayTests(ITestOutputHelper output) : base(InMemoryPersistence, output: output)
    {
        _marketplace = new ScriptedMarketplaceClient(_clock);
        _skus = CreateTestProbe();
    }

    [Fact]
    public async Task Applied_updates_are_acknowledged_to_their_skus()
    {
        var gateway = StartGateway();
        gateway.Tell(PublishOf("L-1", 5, 3));
        gateway.Tell(PublishOf("L-2", 0, 4, ListingStatus.Ended));
        await Stats(gateway);

        _clock.Advance(FirstToken);

        var acknowledgements = new[] { Acknowledgement(), Acknowledgement() }.OrderBy(a => a.ListingId).ToList();
        Assert.Equal(
            [
                new ListingCommands.AcknowledgeListing("S-L-1", "ebay-uk", "L-1", 3, true, 5, ListingStatus.Active, null, null),
                new ListingCommands.AcknowledgeListing("S-L-2", "ebay-uk", "L-2", 4, true, 0, ListingStatus.Ended, null, null),
            ],
            acknowledgements);
        Assert.Equal(2, Assert.Single(_marketplace.Calls).Batch.Count);
    }

    [Fact]
    public async Task The_directory_survives_a_restart_and_every_sku_in_it_is_asked_to_publish_again()
    {
        var gateway = StartGateway();
        gateway.Tell(PublishOf("L-1", 5, 1));
        gateway.Tell(PublishOf("L-2", 5, 1));
        gateway.Tell(PublishOf("L-3", 5, 1));
        gateway.Tell(new ChannelCommands.Forget("ebay-uk", "L-3"));
        Assert.Equal(2, (await Stats(gateway)).Listings);
        Stop(gateway);

        var again = StartGateway();

        var syncs = new[] { Sync(), Sync() }.OrderBy(s => s.ListingId).ToList();
        Assert.Equal(
            [
                new ListingSignals.SyncListing("S-L-1", "ebay-uk", "L-1", false),
                new ListingSignals.SyncListing("S-L-2", "ebay-uk", "L-2", false),
            ],
            syncs);
        Assert.Equal(2, (await Stats(again)).Listings);
        Assert.False(_skus.HasMessages);
    }

    [Fact]
    public async Task After_a_restart_from_a_snapshot_the_skus_are_asked_a_round_at_a_time()
    {
        const int listings = 1_100;
        var gateway = StartGateway();
        for (var i = 0; i < listings; i++) gateway.Tell(PublishOf($"L-{i}", 1, 1));
        Assert.Equal(listings, (await Stats(gateway)).Listings);
        Stop(gateway);

        var again = StartGateway();

        var asked = new HashSet<string>();
        for (var round = 0; round < 5; round++)
        {
            var expected = Math.Min(ChannelGateway.SyncRoundSize, listings - asked.Count);
            for (var i = 0; i < expected; i++) asked.Add(Sync().ListingId);
            await Stats(again);
            Assert.False(_skus.HasMessages, $"Round {round + 1} asked more than {ChannelGateway.SyncRoundSize} SKUs");
            _clock.Advance(ChannelGateway.SyncRoundInterval);
        }
        Assert.Equal(listings, asked.Count);
    }

    [Fact]
    public async Task Pause_resume_resync_and_get_stats_answer_with_the_channel_stats_and_a_pause_survives_a_restart()
    {
        var gateway = StartGateway();
        Assert.True((await gateway.Ask<ChannelStats>(new ChannelCommands.Pause("ebay-uk"), Wait)).Paused);
        gateway.Tell(PublishOf("L-1", 5, 1));
        await Stats(gateway);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var paused = await Stats(gateway);
        Assert.Equal(("ebay-uk", "ebay", 1, 0L, 10.0, true), (paused.Channel, paused.Marketplace, paused.Queued, paused.Calls, paused.Tokens, paused.Paused));
        Assert.Empty(_marketplace.Calls);
        Stop(gateway);

        var again = StartGateway();
        Assert.Equal(new ListingSignals.SyncListing("S-L-1", "ebay-uk", "L-1", false), Sync());
        again.Tell(PublishOf("L-1", 5, 1));
        Assert.True((await Stats(again)).Paused);
        Assert.False((await again.Ask<ChannelStats>(new ChannelCommands.Resume("ebay-uk"), Wait)).Paused);
        _clock.Advance(FirstToken);
        Assert.Equal(1, Acknowledgement().Version);

        var resync = await again.Ask<ChannelStats>(new ChannelCommands.Resync("ebay-uk"), Wait);
        Assert.Equal((1, 1), (resync.Listings, resync.Queued));
        Assert.Equal(new ListingSignals.SyncListing("S-L-1", "ebay-uk", "L-1", true), Sync());
        _clock.Advance(FirstToken);
        Assert.Equal(1, Acknowledgement().Version);
        Assert.Equal([1L, 1L], _marketplace.Calls.Select(c => c.Batch.Single().Version));
    }

    [Fact]
    public async Task A_hand_off_waits_until_the_call_in_flight_can_no_longer_land()
    {
        var gateway = await WatchedGatewayWithACallThatLandsLate();

        gateway.Tell(StopEntity.Instance);
        Assert.Equal(1, (await Stats(gateway)).InFlight);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await AwaitAssertAsync(async () =>
        {
            var timedOut = await Stats(gateway);
            Assert.Equal((1L, 1), (timedOut.Failures, timedOut.InFlight));
        }, Wait);
        _clock.Advance(TimeSpan.FromSeconds(3));

        ExpectTerminated(gateway, Wait);
        Assert.Single(_marketplace.Landings);
    }

    [Fact]
    public async Task A_resume_during_a_hand_off_makes_no_new_call()
    {
        var gateway = await WatchedGatewayWithACallThatLandsLate();

        gateway.Tell(StopEntity.Instance);
        gateway.Tell(PublishOf("L-2", 3, 1));
        Assert.True((await gateway.Ask<ChannelStats>(new ChannelCommands.Resume("ebay-uk"), Wait)).Paused);
        _clock.Advance(TimeSpan.FromSeconds(5));

        ExpectTerminated(gateway, Wait);
        Assert.Single(_marketplace.Calls);
    }

    [Fact]
    public async Task A_version_is_written_as_sent_before_its_call_so_the_next_incarnation_sends_nothing_older_after_it()
    {
        _marketplace.Then(Reaction.Apply, Reaction.ServerError);
        var gateway = StartGateway();
        gateway.Tell(PublishOf("L-1", 5, 3));
        await Stats(gateway);
        _clock.Advance(FirstToken);
        Assert.Equal(3, Acknowledgement().Version);
        gateway.Tell(PublishOf("L-1", 0, 4, ListingStatus.Ended));
        await Stats(gateway);
        _clock.Advance(FirstToken);
        // A 503: v4 may have been applied all the same, and no acknowledgement of it is written.
        AwaitCondition(() => _marketplace.Calls.Count == 2, Wait);
        Stop(gateway);

        var again = StartGateway();
        Assert.Equal("L-1", Sync().ListingId);
        // A resync's forced publish of v3, overtaken on its way by v4, reaches the new incarnation.
        again.Tell(PublishOf("L-1", 5, 3, force: true));
        await Stats(again);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await Stats(again)).Queued);
        Assert.Equal(2, _marketplace.Calls.Count);

        again.Tell(PublishOf("L-1", 0, 4, ListingStatus.Ended));
        await Stats(again);
        _clock.Advance(FirstToken);
        var acknowledged = Acknowledgement();
        Assert.Equal((4L, true), (acknowledged.Version, acknowledged.Applied));
        Assert.Equal([3L, 4L, 4L], _marketplace.Calls.Select(c => c.Batch.Single().Version));
    }

    [Fact]
    public async Task An_unconfigured_channel_answers_queries_with_a_failure_that_names_it()
    {
        var unconfigured = Sys.ActorOf(UnconfiguredChannel.Props("nowhere"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            unconfigured.Ask<ChannelStats>(new ChannelQueries.GetStats("nowhere"), Wait));

        Assert.Contains("'nowhere' is not configured", error.Message);
    }

    /// <summary>
    /// A watched gateway (2 s call timeout, 3 s landing grace) with L-1's call in flight at a marketplace that holds it
    /// and lands it late.
    /// </summary>
    private async Task<IActorRef> WatchedGatewayWithACallThatLandsLate()
    {
        _marketplace.Then(Reaction.HangThenLandLate(TimeSpan.FromMilliseconds(500)));
        var gateway = StartGateway(Definition(lingerMs: 0, callTimeoutMs: 2_000, landingGraceMs: 3_000));
        gateway.Tell(PublishOf("L-1", 5, 1));
        await Stats(gateway);
        _clock.Advance(FirstToken);
        AwaitCondition(() => _marketplace.Calls.Count == 1, Wait);
        Watch(gateway);
        return gateway;
    }

    private IActorRef StartGateway(ChannelDefinition? channel = null) =>
        Sys.ActorOf(
            ChannelGateway.Props(channel ?? Definition(lingerMs: 0), new ScriptedClients(_marketplace), _clock, () => _skus.Ref),
            $"gateway-{++_incarnations}");

    private void Stop(IActorRef gateway)
    {
        Watch(gateway);
        gateway.Tell(StopEntity.Instance);
        ExpectTerminated(gateway, Wait);
    }

    private Task<ChannelStats> Stats(IActorRef gateway) => gateway.Ask<ChannelStats>(new ChannelQueries.GetStats("ebay-uk"), Wait);

    private ListingCommands.AcknowledgeListing Acknowledgement() => _skus.ExpectMsg<ListingCommands.AcknowledgeListing>(Wait);

    private ListingSignals.SyncListing Sync() => _skus.ExpectMsg<ListingSignals.SyncListing>(Wait);
}
