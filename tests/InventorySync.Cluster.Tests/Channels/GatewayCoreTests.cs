using InventorySync.Cluster.Channels;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using static InventorySync.Cluster.Tests.Channels.CoreSimulation;
using Reaction = InventorySync.Cluster.Tests.Channels.ScriptedMarketplaceClient.Reaction;

namespace InventorySync.Cluster.Tests.Channels;

/// <summary>The gateway's rules on a simulated clock: every time below is exact, not approximate.</summary>
public sealed class GatewayCoreTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_paused_backlog_of_1000_changes_on_100_listings_goes_out_in_4_full_calls_with_each_listings_newest_version()
    {
        var sim = new CoreSimulation(Definition(batchSize: 25, ratePerSecond: 10, burst: 10));
        sim.Pause();
        var random = new Random(42);
        var newest = new Dictionary<string, long>();
        for (var version = 1; version <= 10; version++)
        {
            foreach (var listing in Enumerable.Range(0, 100).Select(i => $"L-{i:000}").OrderBy(_ => random.Next()))
            {
                var quantity = random.Next(1, 50);
                sim.Publish(listing, quantity, version);
                newest[listing] = quantity;
            }
        }
        sim.RunFor(TimeSpan.FromSeconds(5));
        Assert.Empty(sim.Marketplace.Calls);
        var paused = sim.Stats();
        Assert.Equal((100, 900L, true), (paused.Queued, paused.Coalesced, paused.Paused));

        sim.Resume();
        sim.RunFor(TimeSpan.FromSeconds(5));

        var calls = sim.Marketplace.Calls;
        Assert.Equal(4, calls.Count);
        Assert.All(calls, c => Assert.Equal(25, c.Batch.Count));
        var sent = calls.SelectMany(c => c.Batch).ToList();
        Assert.Equal(100, sent.Select(u => u.ListingId).Distinct().Count());
        Assert.All(sent, u => Assert.Equal((10L, newest[u.ListingId]), (u.Version, u.Quantity)));
        Assert.Equal(100, sim.Acknowledgements.Count(a => a is { Applied: true, Version: 10 }));
    }

    [Fact]
    public void Under_a_steady_stream_calls_never_exceed_the_token_bucket_and_batches_never_exceed_the_maximum()
    {
        const double rate = 10;
        const int burst = 5;
        var sim = new CoreSimulation(Definition(batchSize: 25, ratePerSecond: rate, burst: burst, lingerMs: 50));
        var random = new Random(3);
        var newest = new Dictionary<string, (long Version, long Quantity)>();
        // For 30 s, one second of 500 changes a second on 400 listings (twice what 10 calls of 25 a second carry, so the
        // bucket is the limit) then two quiet seconds in which the bucket fills up to its burst again.
        for (var change = 0; change < 5_000; change++)
        {
            sim.RunUntil(Start + TimeSpan.FromSeconds(change / 500 * 3) + change % 500 * 2 * Ms);
            var listing = $"L-{random.Next(400)}";
            newest[listing] = (newest.GetValueOrDefault(listing).Version + 1, random.Next(0, 20));
            sim.Publish(listing, newest[listing].Quantity, newest[listing].Version);
        }
        sim.RunFor(TimeSpan.FromSeconds(30));

        var calls = sim.Marketplace.Calls;
        Assert.InRange(calls.Count, 150, 600);
        Assert.All(calls, c =>
        {
            Assert.InRange(c.Batch.Count, 1, 25);
            Assert.Equal(c.Batch.Count, c.Batch.Select(u => u.ListingId).Distinct().Count());
        });
        var times = calls.Select(c => c.At).ToList();
        for (var i = 0; i < times.Count; i++)
        {
            // Every sliding one-second window holds at most the burst plus a second's refill...
            Assert.True(times.Count(t => t >= times[i] && t < times[i] + Second) <= burst + rate,
                $"More than {burst + rate} calls in the second after {times[i]:HH:mm:ss.fff}");
            // ...and, tighter, every stretch of calls at most the burst plus what refilled over its span; the bucket
            // starts empty, so from the start only what refilled.
            Assert.True(i + 1 <= rate * (times[i] - Start).TotalSeconds + 1e-6, $"Call {i + 1} came before its token");
            for (var j = i; j < times.Count && times[j] - times[i] < TimeSpan.FromSeconds(3); j++)
                Assert.True(j - i + 1 <= burst + rate * (times[j] - times[i]).TotalSeconds + 1e-6, $"Calls {i + 1}..{j + 1} burst");
        }
        Assert.Empty(sim.Marketplace.Violations);
        AssertNoListingWasSentAnOlderVersionAfterANewerOne(sim);
        Assert.All(newest, n =>
        {
            Assert.Equal(n.Value.Quantity, sim.Marketplace.Holds(n.Key)!.Quantity);
            Assert.Contains(sim.Acknowledgements, a => a.ListingId == n.Key && a.Version == n.Value.Version && a.Applied);
        });
    }

    [Fact]
    public void A_gateway_starts_with_an_empty_bucket_so_it_never_bursts_after_a_start_or_a_move()
    {
        var sim = new CoreSimulation(Definition(batchSize: 1, ratePerSecond: 10, burst: 10, lingerMs: 0));
        for (var i = 0; i < 50; i++) sim.Publish($"L-{i}", 1, 1);
        Assert.Equal(0, sim.Stats().Tokens);

        sim.RunFor(Second);

        var times = sim.Marketplace.Calls.Select(c => c.At - Start).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 100 * Ms), times);
    }

    [Fact]
    public void A_call_that_timed_out_keeps_its_listing_in_flight_until_the_landing_grace_is_over_so_it_cannot_land_after_a_newer_one()
    {
        var sim = new CoreSimulation(Definition(callTimeoutMs: 2_000, landingGraceMs: 3_000, lingerMs: 0));
        sim.Marketplace.Then(Reaction.HangThenLandLate(TimeSpan.FromMilliseconds(2_500)));
        sim.Publish("L-1", 5, 1);
        sim.RunFor(200 * Ms);
        var first = Assert.Single(sim.Marketplace.Calls).At;
        sim.Publish("L-1", 3, 2);

        sim.RunFor(TimeSpan.FromSeconds(2.5));
        var stats = sim.Stats();
        Assert.Equal((1, 1, 1L), (stats.InFlight, stats.Queued, stats.Failures));
        sim.RunFor(TimeSpan.FromSeconds(10));

        var calls = sim.Marketplace.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(first + TimeSpan.FromSeconds(5), calls[1].At);
        Assert.Equal([1L, 2L], sim.Marketplace.Landings.Select(l => l.Update.Version));
        Assert.Equal(first + TimeSpan.FromSeconds(4.5), sim.Marketplace.Landings[0].At);
        Assert.Empty(sim.Marketplace.Violations);
        Assert.Equal(3, sim.Marketplace.Holds("L-1")!.Quantity);
        Assert.Contains(sim.Acknowledgements, a => a is { Version: 2, Applied: true, Quantity: 3 });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Under_any_mix_of_failures_every_listing_converges_and_no_older_version_lands_after_a_newer_one(int seed)
    {
        var sim = new CoreSimulation(
            Definition(batchSize: 5, ratePerSecond: 20, burst: 5, lingerMs: 20, callTimeoutMs: 1_000, landingGraceMs: 2_000), seed);
        var random = new Random(seed);
        sim.Marketplace.Script = _ => random.Next(100) switch
        {
            < 45 => Reaction.Apply,
            < 60 => Reaction.Slow(TimeSpan.FromMilliseconds(random.Next(1, 900))),
            < 68 => Reaction.Throttle(TimeSpan.FromMilliseconds(random.Next(100, 3_000))),
            < 76 => Reaction.Throttle(),
            < 86 => Reaction.ServerError,
            < 92 => Reaction.Throw,
            _ => Reaction.HangThenLandLate(TimeSpan.FromMilliseconds(random.Next(0, 1_999))),
        };
        var newest = new Dictionary<string, (long Version, long Quantity)>();
        for (var change = 0; change < 2_000; change++)
        {
            sim.RunFor(TimeSpan.FromMilliseconds(random.Next(0, 20)));
            var listing = $"L-{random.Next(30)}";
            var next = (Version: newest.GetValueOrDefault(listing).Version + 1 + random.Next(3), Quantity: (long)random.Next(0, 6));
            newest[listing] = next;
            sim.Publish(listing, next.Quantity, next.Version);
        }
        sim.Marketplace.Script = null;
        sim.RunFor(TimeSpan.FromMinutes(3));

        Assert.Empty(sim.Marketplace.Violations);
        AssertNoListingWasSentAnOlderVersionAfterANewerOne(sim);
        foreach (var (listing, (version, quantity)) in newest)
        {
            var held = sim.Marketplace.Holds(listing);
            // A value the marketplace already showed is acknowledged without a call, so only the quantity must match.
            Assert.Equal(quantity, held!.Quantity);
            Assert.Contains(sim.Acknowledgements, a => a.ListingId == listing && a is { Applied: true } && a.Version == version);
        }
        var stats = sim.Stats();
        Assert.Equal((0, 0, (TimeSpan?)null), (stats.Queued, stats.InFlight, stats.OldestPendingAge));
        Assert.True(stats.Throttled > 0 && stats.Failures > 0, "The script should have throttled and failed calls");
    }

    [Fact]
    public void A_throttle_without_Retry_After_stops_the_whole_channel_with_exponential_back_off_and_jitter_then_converges()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Marketplace.Then(Reaction.Throttle(), Reaction.Throttle(), Reaction.Throttle());
        sim.Publish("L-1", 5, 1);
        sim.RunFor(150 * Ms);
        sim.Publish("L-2", 7, 1);
        sim.RunFor(TimeSpan.FromSeconds(30));

        var calls = sim.Marketplace.Calls;
        AssertFourCallsBackingOffFrom(GatewayCore.ThrottleBaseDelay, calls);
        // L-2 waited for the channel's throttle to end like L-1, and went with it.
        Assert.All(calls.Skip(1), c => Assert.Equal(["L-1", "L-2"], c.Batch.Select(u => u.ListingId).Order()));
        Assert.Equal(5, sim.Stats().Throttled);
        Assert.Equal((5L, 7L), (sim.Marketplace.Holds("L-1")!.Quantity, sim.Marketplace.Holds("L-2")!.Quantity));
        Assert.Equal(2, sim.Acknowledgements.Count(a => a.Applied));
    }

    [Fact]
    public void A_throttle_with_Retry_After_makes_no_call_on_the_channel_before_it()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Marketplace.Then(Reaction.Throttle(TimeSpan.FromSeconds(7)));
        sim.Publish("L-1", 5, 1);
        sim.RunFor(150 * Ms);
        var throttledAt = Assert.Single(sim.Marketplace.Calls).At;
        sim.RunFor(TimeSpan.FromSeconds(3));
        sim.Publish("L-2", 1, 1);
        sim.RunFor(TimeSpan.FromSeconds(10));

        var calls = sim.Marketplace.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(throttledAt + TimeSpan.FromSeconds(7), calls[1].At);
        Assert.Equal(["L-1", "L-2"], calls[1].Batch.Select(u => u.ListingId).Order());
        Assert.Equal(5, sim.Marketplace.Holds("L-1")!.Quantity);
    }

    [Fact]
    public void Server_errors_and_client_exceptions_are_retried_per_listing_with_back_off_until_applied()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Marketplace.Then(Reaction.ServerError, Reaction.Throw, Reaction.ServerError);
        sim.Publish("L-1", 5, 1);
        sim.RunFor(TimeSpan.FromSeconds(30));

        AssertFourCallsBackingOffFrom(GatewayCore.RetryBaseDelay, sim.Marketplace.Calls);
        Assert.Equal((3L, 1L), (sim.Stats().Failures, sim.Stats().Applied));
        Assert.Equal(5, sim.Marketplace.Holds("L-1")!.Quantity);
        Assert.Single(sim.Acknowledgements, a => a is { Applied: true, Version: 1 });
    }

    [Fact]
    public void A_value_the_marketplace_already_shows_is_acknowledged_without_a_call()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Publish("L-1", 5, 1);
        sim.RunFor(Second);
        Assert.Single(sim.Marketplace.Calls);

        sim.Publish("L-1", 5, 2);
        sim.RunFor(Second);

        Assert.Single(sim.Marketplace.Calls);
        Assert.Contains(sim.Acknowledgements, a => a is { Version: 2, Applied: true, Quantity: 5, Status: ListingStatus.Active });
        Assert.Equal(1, sim.Stats().Suppressed);
    }

    [Fact]
    public void After_a_fresh_start_the_published_value_is_not_trusted_for_suppression_but_tells_the_adapter_the_status()
    {
        // The value a listing last had acknowledged may be stale: a newer one may have been applied and its
        // acknowledgement lost with the previous incarnation. So a fresh gateway sends it again.
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Publish(PublishOf("L-1", 5, 7, publishedQuantity: 5, publishedStatus: ListingStatus.Ended));
        sim.RunFor(Second);

        var sent = Assert.Single(sim.Marketplace.Calls.SelectMany(c => c.Batch));
        Assert.Equal(("L-1", 7L, ListingStatus.Ended), (sent.ListingId, sent.Version, sent.KnownStatus));
        Assert.Equal(0, sim.Stats().Suppressed);
    }

    [Fact]
    public void A_restored_version_is_acknowledged_again_and_an_older_one_never_sent()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Core.Restore("L-1", "S-L-1", 9, 0, ListingStatus.Ended);
        sim.Publish(PublishOf("L-1", 3, 8));
        sim.Publish(PublishOf("L-1", 0, 9, ListingStatus.Ended));
        sim.RunFor(Second);

        Assert.Empty(sim.Marketplace.Calls);
        Assert.All(sim.Acknowledgements, a => Assert.Equal((9L, true, 0L, ListingStatus.Ended), (a.Version, a.Applied, a.Quantity, a.Status)));
        sim.Publish(PublishOf("L-1", 2, 10));
        sim.RunFor(Second);
        Assert.Equal(10, Assert.Single(sim.Marketplace.Calls.SelectMany(c => c.Batch)).Version);
    }

    [Fact]
    public void No_version_older_than_one_sent_is_sent_after_it_forced_or_not_and_the_one_sent_may_go_again()
    {
        // An earlier incarnation acknowledged v5 and then sent v8, which failed (and may have been applied).
        var restarted = new CoreSimulation(Definition(lingerMs: 0));
        restarted.Core.Restore("L-1", "S-L-1", 5, 4, ListingStatus.Active);
        restarted.Core.RestoreSent("L-1", "S-L-1", 8);
        restarted.Publish("L-1", 4, 5, force: true);
        restarted.Publish("L-1", 2, 7);
        restarted.RunFor(Second);
        Assert.Empty(restarted.Marketplace.Calls);
        restarted.Publish("L-1", 0, 8, ListingStatus.Ended);
        restarted.RunFor(Second);
        Assert.Equal(8, Assert.Single(restarted.Marketplace.Calls.SelectMany(c => c.Batch)).Version);

        // Within one incarnation: v8 refused, then a resync's forced v5 arrives late.
        var refused = new CoreSimulation(Definition(lingerMs: 0));
        refused.Marketplace.Refuse("L-1", "Quantity not allowed");
        refused.Publish("L-1", 3, 8);
        refused.RunFor(Second);
        refused.Publish("L-1", 4, 5, force: true);
        refused.RunFor(Second);
        Assert.Equal([8L], refused.Marketplace.Calls.SelectMany(c => c.Batch).Select(u => u.Version));
    }

    [Fact]
    public void A_backlog_beyond_a_minute_of_calls_goes_as_one_bulk_call_with_the_bulk_timeout_and_a_smaller_one_call_by_call()
    {
        // Amazon's shape: one listing per PATCH at 5 calls/s clears 300 listings a minute; a feed takes up to 10,000.
        var amazon = Definition(batchSize: 1, ratePerSecond: 5, burst: 5, lingerMs: 0) with
        {
            BulkBatchSize = 10_000, BulkCallTimeout = TimeSpan.FromMinutes(15),
        };
        var backlog = new CoreSimulation(amazon);
        backlog.Pause();
        for (var i = 0; i < 301; i++) backlog.Publish($"L-{i}", 3, 2);
        backlog.Resume();
        backlog.RunFor(Second);

        var bulk = Assert.Single(backlog.Marketplace.Calls);
        Assert.Equal(301, bulk.Batch.Count);

        var steady = new CoreSimulation(amazon);
        steady.Pause();
        for (var i = 0; i < 300; i++) steady.Publish($"L-{i}", 3, 2);
        steady.Resume();
        steady.RunFor(Second);
        Assert.All(steady.Marketplace.Calls, c => Assert.Single(c.Batch));
        Assert.InRange(steady.Marketplace.Calls.Count, 5, 10); // the bucket: a burst of 5 after refilling for a second
    }

    [Fact]
    public void A_resync_re_sends_every_listing_even_the_values_the_marketplace_already_has()
    {
        var sim = new CoreSimulation(Definition(batchSize: 25, lingerMs: 0));
        for (var i = 0; i < 30; i++) sim.Publish($"L-{i}", i, 1);
        sim.RunFor(Second);
        for (var i = 0; i < 30; i++) sim.Publish($"L-{i}", i, 2);
        sim.RunFor(Second);
        var before = sim.Marketplace.Calls.Count;
        Assert.Equal(30, sim.Stats().Suppressed);

        sim.Resync();
        sim.RunFor(Second);

        var resent = sim.Marketplace.Calls.Skip(before).ToList();
        Assert.Equal(2, resent.Count);
        Assert.Equal(30, resent.SelectMany(c => c.Batch).Count(u => u.Version == 2));
        Assert.Equal(30, sim.Stats().Suppressed);
    }

    [Fact]
    public void Updates_going_to_zero_go_first_then_decreases_then_increases_then_status_only_changes()
    {
        var sim = new CoreSimulation(Definition(batchSize: 2, lingerMs: 0));
        foreach (var listing in "ABCDEFGH") sim.Publish($"L-{listing}", 10, 1);
        sim.RunFor(Second);
        var before = sim.Marketplace.Calls.Count;

        sim.Pause();
        sim.Publish("L-A", 12, 2);
        sim.Publish("L-B", 0, 2, ListingStatus.Ended);
        sim.Publish("L-C", 5, 2);
        sim.Publish("L-D", 10, 2, ListingStatus.Backorder);
        sim.Publish("L-E", 0, 2, ListingStatus.Ended);
        sim.Publish("L-F", 3, 2);
        sim.Publish("L-G", 20, 2);
        sim.Publish("L-H", 10, 2, ListingStatus.Inactive);
        sim.RunFor(Second);
        sim.Resume();
        sim.RunFor(Second);

        var batches = sim.Marketplace.Calls.Skip(before).Select(c => string.Concat(c.Batch.Select(u => u.ListingId[^1]))).ToList();
        Assert.Equal(["BE", "CF", "AG", "DH"], batches);
    }

    [Fact]
    public void Linger_holds_a_partial_batch_until_its_oldest_update_has_waited_while_a_full_batch_goes_at_once()
    {
        var sim = new CoreSimulation(Definition(batchSize: 25, ratePerSecond: 10, burst: 10, lingerMs: 300));
        sim.RunFor(TimeSpan.FromSeconds(2));

        var t1 = sim.Now;
        for (var i = 0; i < 10; i++) sim.Publish($"A-{i}", 1, 1);
        sim.RunFor(250 * Ms);
        for (var i = 0; i < 5; i++) sim.Publish($"B-{i}", 1, 1);
        sim.RunFor(Second);
        var t2 = sim.Now;
        for (var i = 0; i < 30; i++) sim.Publish($"C-{i}", 1, 1);
        sim.RunFor(Second);

        var calls = sim.Marketplace.Calls;
        Assert.Equal(3, calls.Count);
        Assert.Equal((t1 + 300 * Ms, 15), (calls[0].At, calls[0].Batch.Count));
        Assert.Equal((t2, 25), (calls[1].At, calls[1].Batch.Count));
        Assert.Equal((t2 + 300 * Ms, 5), (calls[2].At, calls[2].Batch.Count));
    }

    [Fact]
    public void Stats_show_the_queue_the_flights_the_counters_the_tokens_and_the_oldest_pending_age()
    {
        var sim = new CoreSimulation(Definition(batchSize: 3, ratePerSecond: 2, burst: 4, lingerMs: 1_000, callTimeoutMs: 2_000));
        sim.Marketplace.Then(Reaction.Slow(TimeSpan.FromMilliseconds(700)));
        sim.Publish("L-A", 5, 1);
        sim.RunFor(400 * Ms);
        sim.Publish("L-A", 4, 2);
        sim.Publish("L-B", 0, 1, ListingStatus.Ended);
        sim.RunFor(100 * Ms);

        var queued = sim.Stats();
        Assert.Equal(new ChannelStats("ebay-uk", "ebay", 2, 2, 0, 0, 1, 0, 0, 0, 0, 0, 1.0, false, 500 * Ms), queued);

        sim.RunFor(700 * Ms);
        var inFlight = sim.Stats();
        Assert.Equal((0, 2, 1L, 1.4, (TimeSpan?)(1_200 * Ms)),
            (inFlight.Queued, inFlight.InFlight, inFlight.Calls, inFlight.Tokens, inFlight.OldestPendingAge));

        sim.RunFor(Second);
        var done = sim.Stats();
        Assert.Equal((0, 0, 2L, (TimeSpan?)null), (done.Queued, done.InFlight, done.Applied, done.OldestPendingAge));
    }

    [Fact]
    public void A_re_sent_publish_is_acknowledged_at_once_when_applied_and_ignored_while_queued_or_in_flight()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Marketplace.Then(Reaction.Slow(TimeSpan.FromMilliseconds(500)));
        sim.Publish("L-1", 5, 3);
        sim.RunFor(200 * Ms);
        sim.Publish("L-1", 5, 3);
        Assert.Empty(sim.Acknowledgements);
        Assert.Equal((0, 1), (sim.Stats().Queued, sim.Stats().InFlight));

        sim.RunFor(Second);
        Assert.Single(sim.Acknowledgements);
        sim.Publish("L-1", 5, 3);
        sim.Publish("L-1", 9, 2);

        Assert.Equal(3, sim.Acknowledgements.Count);
        Assert.All(sim.Acknowledgements, a => Assert.Equal((3L, true, 5L), (a.Version, a.Applied, a.Quantity)));
        Assert.Single(sim.Marketplace.Calls);
        Assert.Equal(0, sim.Stats().Queued);
    }

    [Fact]
    public void A_refused_update_is_acknowledged_as_not_applied_and_sent_again_only_for_a_newer_version_or_a_resync()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Marketplace.Refuse("L-1", "Quantity 0 is not allowed without out-of-stock control (21916583)");
        sim.Publish("L-1", 5, 1);
        sim.RunFor(Second);
        var refusal = Assert.Single(sim.Acknowledgements);
        Assert.Equal((1L, false), (refusal.Version, refusal.Applied));
        Assert.Contains("21916583", refusal.Message);

        sim.Publish("L-1", 5, 1);
        sim.RunFor(TimeSpan.FromSeconds(5));
        Assert.Single(sim.Marketplace.Calls);
        Assert.Equal(2, sim.Acknowledgements.Count(a => a is { Version: 1, Applied: false }));

        sim.Publish("L-1", 6, 2);
        sim.RunFor(Second);
        sim.Resync();
        sim.RunFor(Second);
        Assert.Equal([1L, 2L, 2L], sim.Marketplace.Calls.Select(c => c.Batch.Single().Version));
        Assert.Equal(3, sim.Stats().Rejected);
    }

    [Fact]
    public void A_gone_listing_going_out_of_stock_counts_as_ended_and_one_coming_back_is_relisted_under_its_new_id()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Publish("L-1", 5, 1);
        sim.RunFor(Second);
        sim.Marketplace.End("L-1");

        sim.Publish("L-1", 0, 2, ListingStatus.Ended);
        sim.RunFor(Second);
        Assert.Contains(sim.Acknowledgements, a => a is { Version: 2, Applied: true, Quantity: 0, Status: ListingStatus.Ended });

        sim.Marketplace.End("L-1");
        sim.Publish("L-1", 0, 3, ListingStatus.Inactive);
        sim.RunFor(Second);
        sim.Publish("L-1", 4, 4);
        sim.RunFor(Second);

        var sent = sim.Marketplace.Calls.Select(c => c.Batch.Single()).ToList();
        Assert.Equal([1L, 2L, 3L, 4L], sent.Select(u => u.Version));
        Assert.Equal(ListingStatus.Ended, sent[3].KnownStatus);
        var relisted = Assert.Single(sim.Acknowledgements, a => a.Version == 4);
        Assert.Equal((true, 4L, "L-1-relist-1"), (relisted.Applied, relisted.Quantity, relisted.CurrentListingId));
        Assert.Equal("L-1-relist-1", sim.Marketplace.Holds("L-1")!.ListingId);

        sim.Publish("L-1", 3, 5);
        sim.RunFor(Second);
        Assert.Equal("L-1-relist-1", sim.Marketplace.Calls[^1].Batch.Single().CurrentListingId);
    }

    [Fact]
    public void A_listing_gone_while_it_should_show_stock_is_sent_again_as_ended_so_the_adapter_relists_it()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Publish("L-1", 5, 1);
        sim.RunFor(Second);
        sim.Marketplace.End("L-1");

        sim.Publish("L-1", 3, 2);
        sim.RunFor(Second);

        var sent = sim.Marketplace.Calls.Skip(1).Select(c => c.Batch.Single()).ToList();
        Assert.Equal([(2L, ListingStatus.Active), (2L, ListingStatus.Ended)], sent.Select(u => (u.Version, u.KnownStatus!.Value)));
        Assert.Contains(sim.Acknowledgements, a => a is { Version: 2, Applied: true, Quantity: 3 } && a.CurrentListingId != null);
    }

    [Fact]
    public void A_forgotten_listing_is_dropped_from_the_queue_and_no_longer_acknowledged()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Marketplace.Then(Reaction.Slow(TimeSpan.FromMilliseconds(500)));
        sim.Publish("L-1", 5, 1);
        sim.Publish("L-2", 5, 1);
        sim.RunFor(200 * Ms);
        sim.Publish("L-1", 6, 2);
        sim.Core.Forget("L-1");
        sim.RunFor(TimeSpan.FromSeconds(3));

        Assert.Single(sim.Marketplace.Calls);
        Assert.Equal(["L-2"], sim.Acknowledgements.Select(a => a.ListingId));
        Assert.Equal((1, 0, 0), (sim.Stats().Listings, sim.Stats().Queued, sim.Stats().InFlight));
    }

    [Fact]
    public void A_listing_mapped_to_another_sku_starts_a_new_version_history_acknowledged_to_that_sku()
    {
        var sim = new CoreSimulation(Definition(lingerMs: 0));
        sim.Publish(PublishOf("L-1", 5, 40, sku: "SKU-A"));
        sim.RunFor(Second);

        sim.Publish(PublishOf("L-1", 2, 3, sku: "SKU-B"));
        sim.RunFor(Second);

        Assert.Equal([("SKU-A", 40L), ("SKU-B", 3L)], sim.Marketplace.Calls.Select(c => (c.Batch.Single().Sku, c.Batch.Single().Version)));
        Assert.Equal([("SKU-A", 40L), ("SKU-B", 3L)], sim.Acknowledgements.Select(a => (a.Sku, a.Version)));
        Assert.Equal(2, sim.Marketplace.Holds("L-1")!.Quantity);
    }

    /// <summary>Four calls, the k-th gap between half and all of <paramref name="baseDelay"/> doubled k - 1 times (equal jitter).</summary>
    private static void AssertFourCallsBackingOffFrom(TimeSpan baseDelay, IReadOnlyList<ScriptedMarketplaceClient.RecordedCall> calls)
    {
        Assert.Equal(4, calls.Count);
        for (var k = 1; k <= 3; k++)
        {
            var ceiling = baseDelay * Math.Pow(2, k - 1);
            Assert.InRange(calls[k].At - calls[k - 1].At, ceiling / 2, ceiling);
        }
    }

    private static void AssertNoListingWasSentAnOlderVersionAfterANewerOne(CoreSimulation sim)
    {
        foreach (var listing in sim.Marketplace.Calls.SelectMany(c => c.Batch).GroupBy(u => u.ListingId))
        {
            var versions = listing.Select(u => u.Version).ToList();
            Assert.True(versions.Zip(versions.Skip(1), (earlier, later) => earlier <= later).All(ordered => ordered),
                $"{listing.Key} was sent versions {string.Join(", ", versions)}");
        }
    }

    [Fact]
    public void A_channel_whose_limits_cannot_work_is_refused_with_a_message_that_names_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new GatewayCore(Definition(batchSize: 0), Start, new Random(1)));
        Assert.Contains("ebay-uk", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GatewayCore(Definition(ratePerSecond: 0), Start, new Random(1)));
    }
}
