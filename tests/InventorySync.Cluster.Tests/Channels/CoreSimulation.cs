using InventorySync.Cluster.Channels;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;
using Microsoft.Extensions.Time.Testing;
using static InventorySync.Cluster.Channels.ChannelCommands;

namespace InventorySync.Cluster.Tests.Channels;

/// <summary>
/// Runs a <see cref="GatewayCore"/> against a <see cref="ScriptedMarketplaceClient"/> on a fake clock, the way the
/// gateway actor does (calls cancelled at the channel's timeout, results fed back, acknowledgements collected), but
/// single-threaded and deterministic: time only moves when the test moves it.
/// </summary>
public sealed class CoreSimulation
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The longest the simulation moves the clock in one go, so scripted latencies and landings are seen.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    private readonly List<Call> _calls = [];

    private sealed record Call(GatewayBatch Batch, Task<IReadOnlyList<UpdateOutcome>> Answer, CancellationTokenSource Timeout);

    public CoreSimulation(ChannelDefinition channel, int seed = 7)
    {
        Channel = channel;
        Clock = new FakeTimeProvider(Start);
        Core = new GatewayCore(channel, Start, new Random(seed));
        Marketplace = new ScriptedMarketplaceClient(Clock);
    }

    public ChannelDefinition Channel { get; }
    public FakeTimeProvider Clock { get; }
    public GatewayCore Core { get; }
    public ScriptedMarketplaceClient Marketplace { get; }
    public List<ListingCommands.AcknowledgeListing> Acknowledgements { get; } = [];
    public DateTimeOffset Now => Clock.GetUtcNow();

    public static ChannelDefinition Definition(
        int batchSize = 25, double ratePerSecond = 10, int burst = 10, int lingerMs = 50, int callTimeoutMs = 2_000,
        int landingGraceMs = 3_000) =>
        new("ebay-uk", MarketplaceKind.Ebay, new Uri("https://api.ebay.example"),
            new Dictionary<string, string> { ["token"] = "secret-token" }, ratePerSecond, burst, batchSize,
            TimeSpan.FromMilliseconds(lingerMs), OutOfStockRule.End, TimeSpan.FromMilliseconds(callTimeoutMs),
            TimeSpan.FromMilliseconds(landingGraceMs));

    /// <summary>A listing actor's publish: listing <c>L-x</c> belongs to SKU <c>S-x</c> unless told otherwise.</summary>
    public static Publish PublishOf(
        string listingId, long quantity, long version, ListingStatus status = ListingStatus.Active, bool force = false,
        long? publishedQuantity = null, ListingStatus? publishedStatus = null, string? sku = null) =>
        new("ebay-uk", listingId, listingId, sku ?? "S-" + listingId, quantity, status, version, publishedQuantity,
            publishedStatus, force);

    public void Publish(
        string listingId, long quantity, long version, ListingStatus status = ListingStatus.Active, bool force = false) =>
        Publish(PublishOf(listingId, quantity, version, status, force));

    public void Publish(Publish publish)
    {
        Core.Enqueue(publish, Now);
        Pump();
    }

    public void Pause()
    {
        Core.Pause();
        Pump();
    }

    public void Resume()
    {
        Core.Resume();
        Pump();
    }

    public void Resync()
    {
        Core.Resync(Now);
        Pump();
    }

    public ChannelStats Stats() => Core.Stats(Now);

    /// <summary>Moves the clock by <paramref name="duration"/>, making every call that falls due on the way.</summary>
    public void RunFor(TimeSpan duration) => RunUntil(Now + duration);

    public void RunUntil(DateTimeOffset end)
    {
        Pump();
        while (Now < end)
        {
            var next = Now + Step;
            if (Core.NextWakeUp(Now) is { } wake && wake < next) next = wake;
            if (next > end) next = end;
            // A wake-up due now whose batch did not go would stall the clock: that is a bug in the core.
            Assert.True(next > Now, $"The core asked to be woken at {next:HH:mm:ss.fff}, not after now ({Now:HH:mm:ss.fff}).");
            Clock.Advance(next - Now);
            Pump();
        }
    }

    /// <summary>Makes every call due now and feeds back every answer that has arrived, until nothing changes.</summary>
    public void Pump()
    {
        bool changed;
        do
        {
            changed = FeedBackAnswers();
            while (Core.NextBatch(Now) is { } batch)
            {
                var timeout = new CancellationTokenSource(batch.Timeout, Clock);
                _calls.Add(new Call(batch, Marketplace.SendAsync(batch.Updates, timeout.Token), timeout));
                changed = true;
            }
        } while (changed);
        Acknowledgements.AddRange(Core.TakeAcknowledgements());
    }

    private bool FeedBackAnswers()
    {
        var answered = _calls.Where(c => c.Answer.IsCompleted).ToList();
        foreach (var call in answered)
        {
            _calls.Remove(call);
            if (call.Answer.IsCompletedSuccessfully) Core.Complete(call.Batch, call.Answer.Result, Now);
            else if (call.Timeout.IsCancellationRequested) Core.TimedOut(call.Batch, Now);
            else Core.Fail(call.Batch, Now);
            call.Timeout.Dispose();
        }
        return answered.Count > 0;
    }
}
