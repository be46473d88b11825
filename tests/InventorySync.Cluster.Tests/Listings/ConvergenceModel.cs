using System.Text;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Listings;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;
using static InventorySync.Cluster.Channels.ChannelCommands;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Cluster.Tests.Listings;

// The scenario: what the property test generates. Everything is data, printed readably for a counterexample.

/// <summary>One channel account, with limits small enough that the token bucket, batching and linger all matter.</summary>
public sealed record ChannelSpec(
    string Id, MarketplaceKind Kind, int BatchSize, double RatePerSecond, int Burst, int LingerMs, int CallTimeoutMs,
    int LandingGraceMs)
{
    public ChannelDefinition Definition => new(
        Id, Kind, new Uri("https://marketplace.example"), new Dictionary<string, string>(), RatePerSecond, Burst, BatchSize,
        TimeSpan.FromMilliseconds(LingerMs), Marketplaces.Profile(Kind).DefaultOutOfStock,
        TimeSpan.FromMilliseconds(CallTimeoutMs), TimeSpan.FromMilliseconds(LandingGraceMs));

    public override string ToString() =>
        $"{Id} ({Marketplaces.WireName(Kind)}): batch {BatchSize}, {RatePerSecond}/s burst {Burst}, linger {LingerMs} ms, " +
        $"call timeout {CallTimeoutMs} ms, landing grace {LandingGraceMs} ms";
}

/// <summary>A listing mapped to SKU <c>S{Sku+1}</c> on channel number <see cref="Channel"/>.</summary>
public sealed record ListingSpec(string ListingId, int Sku, int Channel, ListingSettings Settings)
{
    public override string ToString() => $"{ListingId} of S{Sku + 1} on channel #{Channel}: {Describe(Settings)}";

    public static string Describe(ListingSettings s) =>
        $"{s.Percentage}% - buffer {s.Buffer}, min {s.MinQuantity}, max {(s.MaxQuantity?.ToString() ?? "none")}, " +
        $"out of stock '{Marketplaces.WireName(s.OutOfStock)}'";
}

public sealed record PipelineSetup(
    int Skus, IReadOnlyList<ChannelSpec> Channels, IReadOnlyList<ListingSpec> Listings, IReadOnlyList<long> InitialStock,
    int ResendFirstMs, int ResendMaxMs, double Jitter);

/// <summary>One thing that happens during the faulty phase of a run.</summary>
public abstract record Step
{
    public sealed record Reserve(int Sku, string OrderId, string LineId, long Quantity, bool AllowBackorder) : Step
    {
        public override string ToString() =>
            $"reserve S{Sku + 1} {OrderId}/{LineId} x{Quantity}{(AllowBackorder ? " (back-order allowed)" : "")}";
    }

    public sealed record Cancel(int Sku, string OrderId, string LineId) : Step
    {
        public override string ToString() => $"cancel S{Sku + 1} {OrderId}/{LineId}";
    }

    public sealed record Dispatch(int Sku, string OrderId, string LineId) : Step
    {
        public override string ToString() => $"dispatch S{Sku + 1} {OrderId}/{LineId}";
    }

    public sealed record Count(int Sku, long OnHand, string Reference) : Step
    {
        public override string ToString() => $"count S{Sku + 1} = {OnHand} ({Reference})";
    }

    public sealed record Adjust(int Sku, long Delta, string Reference) : Step
    {
        public override string ToString() => $"adjust S{Sku + 1} {Delta:+0;-0} ({Reference})";
    }

    /// <summary>The listing's settings change (a PUT of the mapping).</summary>
    public sealed record Remap(int Listing, ListingSettings Settings) : Step
    {
        public override string ToString() => $"remap listing #{Listing}: {ListingSpec.Describe(Settings)}";
    }

    public sealed record Advance(int Milliseconds) : Step
    {
        public override string ToString() => $"advance {Milliseconds} ms";
    }

    /// <summary>
    /// The SKU entity stops (a failed write, a crash, a passivation) and recovers: the first
    /// <see cref="WritesLanding"/> of its pending writes reach the journal, the rest are lost; messages on their way to
    /// it are lost when <see cref="DropInbox"/>; it recovers from its last snapshot and later events when
    /// <see cref="FromSnapshot"/> (and one was taken), else from all events; it comes back on another node when
    /// <see cref="Moves"/>, so what its old node still had on the way to a gateway may arrive after what the new one
    /// sends (on the same node, one shard region forwards everything in order).
    /// </summary>
    public sealed record RestartSku(int Sku, int WritesLanding, bool FromSnapshot, bool DropInbox, bool Moves = false) : Step
    {
        public override string ToString() =>
            $"restart S{Sku + 1} ({WritesLanding} pending writes land, {(FromSnapshot ? "from snapshot" : "from events")}" +
            $"{(DropInbox ? ", messages to it lost" : "")}{(Moves ? ", on another node" : "")})";
    }

    public sealed record Snapshot(int Sku) : Step
    {
        public override string ToString() => $"snapshot S{Sku + 1}";
    }

    /// <summary>The gateway hands off (a rebalance, a rolling restart): it waits for its calls in flight, then a new
    /// incarnation starts with an empty bucket and the persisted directory and pause flag.</summary>
    public sealed record RestartGateway(int Channel) : Step
    {
        public override string ToString() => $"restart gateway #{Channel}";
    }

    public sealed record Pause(int Channel) : Step
    {
        public override string ToString() => $"pause gateway #{Channel}";
    }

    public sealed record Resume(int Channel) : Step
    {
        public override string ToString() => $"resume gateway #{Channel}";
    }

    public sealed record Resync(int Channel) : Step
    {
        public override string ToString() => $"resync gateway #{Channel}";
    }
}

/// <summary>How the marketplace answers one call (during the faulty phase; the quiet phase applies everything).</summary>
public abstract record Reaction
{
    /// <summary>Answered after <see cref="LatencyMs"/> (always below the call timeout), each update applied, except the
    /// <see cref="RejectIndex"/>th (refused) and the <see cref="GoneIndex"/>th (its listing ended on the marketplace
    /// just before: gone, or relisted when the gateway knows it ended).</summary>
    public sealed record Answer(int LatencyMs, int RejectIndex = -1, int GoneIndex = -1) : Reaction
    {
        public override string ToString() =>
            $"answer after {LatencyMs} ms{(RejectIndex >= 0 ? $", update #{RejectIndex} rejected" : "")}" +
            $"{(GoneIndex >= 0 ? $", update #{GoneIndex} found ended" : "")}";
    }

    /// <summary>429 at once, nothing applied.</summary>
    public sealed record Throttle(int? RetryAfterMs) : Reaction
    {
        public override string ToString() =>
            RetryAfterMs is { } ms ? $"throttled, Retry-After {ms} ms" : "throttled without Retry-After";
    }

    /// <summary>503 for every update, after applying them all when <see cref="Applied"/>.</summary>
    public sealed record ServerError(int LatencyMs, bool Applied) : Reaction
    {
        public override string ToString() => $"503 after {LatencyMs} ms{(Applied ? " (but applied)" : "")}";
    }

    /// <summary>The client throws (connection reset), after the marketplace applied them all when <see cref="Applied"/>.</summary>
    public sealed record Throw(int LatencyMs, bool Applied) : Reaction
    {
        public override string ToString() => $"exception after {LatencyMs} ms{(Applied ? " (but applied)" : "")}";
    }

    /// <summary>Every update applied, but the answer leaves the first one out.</summary>
    public sealed record Omit(int LatencyMs) : Reaction
    {
        public override string ToString() => $"answer after {LatencyMs} ms, all applied, first update left out";
    }

    /// <summary>No answer: the call is cancelled at its timeout; it lands <see cref="LandsAfterTimeoutMs"/> after the
    /// timeout (kept within the landing grace), or never.</summary>
    public sealed record Hang(int? LandsAfterTimeoutMs) : Reaction
    {
        public override string ToString() => LandsAfterTimeoutMs is { } ms
            ? $"hangs, lands {ms} ms after the timeout (within the grace)"
            : "hangs, never lands";
    }
}

public sealed record Scenario(
    PipelineSetup Setup, IReadOnlyList<Step> Steps, IReadOnlyList<Reaction> Reactions, IReadOnlyList<int> DelaysMs)
{
    public override string ToString()
    {
        var s = new StringBuilder();
        s.AppendLine($"SKUs: {string.Join(", ", Enumerable.Range(0, Setup.Skus).Select(i => $"S{i + 1} counted {Setup.InitialStock[i]}"))}");
        for (var i = 0; i < Setup.Channels.Count; i++) s.AppendLine($"channel #{i} {Setup.Channels[i]}");
        for (var i = 0; i < Setup.Listings.Count; i++) s.AppendLine($"listing #{i} {Setup.Listings[i]}");
        s.AppendLine($"listing re-sends after {Setup.ResendFirstMs} ms doubling up to {Setup.ResendMaxMs} ms; jitter {Setup.Jitter}");
        s.AppendLine($"message and write delays (ms, in turn): {string.Join(" ", DelaysMs)}");
        s.AppendLine("marketplace answers (in turn, faulty phase):");
        for (var i = 0; i < Reactions.Count; i++) s.AppendLine($"  r{i}: {Reactions[i]}");
        s.AppendLine("steps:");
        for (var i = 0; i < Steps.Count; i++) s.AppendLine($"  {i}: {Steps[i]}");
        return s.ToString();
    }
}

/// <summary>A broken rule, with the model's time and what was going on.</summary>
public class ConvergenceFailure(string message) : Exception(message);

/// <summary>
/// The fingerprint of a bug <see cref="GatewayCore.Enqueue"/> once had: a gateway incarnation that never called the
/// marketplace for a listing acknowledges it as showing what the listing last had acknowledged (the publish's
/// <c>PublishedQuantity</c>/<c>PublishedStatus</c>), while the marketplace shows something newer that was applied
/// without an acknowledgement being written (a call that failed or timed out after applying, or an acknowledgement
/// still on its way when the gateway restarted). The update is suppressed and the listing never converges.
/// </summary>
public sealed class StaleSeedAcknowledged(string message) : ConvergenceFailure(message);

/// <summary>
/// The fingerprint of a bug the gateway once had, when it kept versions in order only within one incarnation: a
/// publish sent by a node a SKU has since left, overtaken by the newer publishes of its new node, reached a gateway
/// incarnation that started after it was sent, and was applied over the newer version the previous incarnation had
/// applied. Each listing's newest acknowledged version is now written before it is acknowledged, and its newest sent
/// version before the call goes out (a version applied but answered 503 is never acknowledged), and both are restored.
/// </summary>
public sealed class StalePublishApplied(string message) : ConvergenceFailure(message);

/// <summary>What a run went through, so the test can show that the generator reaches the cases that matter.</summary>
public sealed class RunCoverage
{
    public int Calls, LateLandings, NeverLanded, Throttles, Failures, AppliedButFailed, Rejections, Gone, Relists,
        GatewayRestartsWithCallsInFlight, SkuRestartsLosingWrites, SnapshotRecoveries, Resyncs, QuietResyncs,
        DroppedMessages, RestoredAcknowledgements, Pauses, SkuMoves, StalePublishesAfterGatewayRestart;

    /// <summary>Runs that ran into <see cref="StaleSeedAcknowledged"/> or <see cref="StalePublishApplied"/> (only
    /// counted while they are tolerated).</summary>
}

/// <summary>
/// A deterministic, single-threaded model of the whole listing pipeline on a fake clock: each SKU is the REAL
/// <see cref="SkuDecider"/>/<see cref="SkuState"/> behind a model of <see cref="InventorySync.Cluster.Stock.SkuEntity"/>'s
/// glue (decided state ahead of the journal, listings told only the written state, recovery from events or from a
/// snapshot and later events, every listing told its state after recovery); each listing is a model of
/// <see cref="ListingActor"/> (publish a new desired version, re-send on a doubling timer until acknowledged); each
/// channel is the REAL <see cref="GatewayCore"/> behind a model of <see cref="ChannelGateway"/> (pump, wake-up timer,
/// directory and pause flag kept across restarts, a hand-off that waits for the calls in flight, a new incarnation with
/// an empty bucket that asks the SKUs to publish again); each marketplace keeps what it shows per listing and fails the
/// run if it ever applies a version older than one it applied, or gets a call for a listing while an earlier one may
/// still land. Messages arrive after scripted delays, in order per sender only (a SKU's node, a gateway incarnation,
/// the operator), and those on their way to a SKU may be lost when it crashes. Time only moves from one due event to
/// the next, so a run is exactly repeatable.
/// </summary>
public sealed class PipelineModel
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The longest the quiet phase may take to converge, in model time.</summary>
    public static readonly TimeSpan QuietLimit = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan OneMs = TimeSpan.FromMilliseconds(1);

    private readonly Scenario _scenario;
    private readonly List<string>? _trace;
    private readonly SkuNode[] _skus;
    private readonly Dictionary<string, SkuNode> _skuById = new(StringComparer.Ordinal);
    private readonly GatewayNode[] _gateways;
    private readonly Dictionary<string, GatewayNode> _gatewayById = new(StringComparer.Ordinal);
    private readonly List<OpenCall> _calls = [];
    private readonly TimeSpan _resendFirst, _resendMax;
    private int _nextReaction, _nextDelay, _callNumber;
    private bool _quiet;

    public RunCoverage Coverage { get; } = new();

    private PipelineModel(Scenario scenario, bool trace)
    {
        _scenario = scenario;
        _trace = trace ? [] : null;
        var setup = scenario.Setup;
        _resendFirst = TimeSpan.FromMilliseconds(setup.ResendFirstMs);
        _resendMax = TimeSpan.FromMilliseconds(setup.ResendMaxMs);
        _skus = Enumerable.Range(0, setup.Skus).Select(i => new SkuNode(this, $"S{i + 1}")).ToArray();
        foreach (var sku in _skus) _skuById[sku.Id] = sku;
        _gateways = setup.Channels.Select(c => new GatewayNode(this, c)).ToArray();
        foreach (var gateway in _gateways) _gatewayById[gateway.Spec.Id] = gateway;
    }

    public DateTimeOffset Now { get; private set; } = Start;

    /// <summary>Runs the scenario and checks it; on a failure, runs it again with a trace to explain it.</summary>
    public static RunCoverage Check(Scenario scenario)
    {
        var model = new PipelineModel(scenario, trace: false);
        try
        {
            return model.Run();
        }
        catch (ConvergenceFailure first)
        {
            var traced = new PipelineModel(scenario, trace: true);
            try
            {
                traced.Run();
            }
            catch (ConvergenceFailure)
            {
            }
            var lines = traced._trace!;
            throw new ConvergenceFailure(
                $"{first.Message}\n--- trace ({lines.Count} lines{(lines.Count > 400 ? ", last 400" : "")}) ---\n" +
                string.Join("\n", lines.Skip(Math.Max(0, lines.Count - 400))));
        }
    }

    private RunCoverage Run()
    {
        var setup = _scenario.Setup;
        for (var i = 0; i < setup.Skus; i++)
            _skus[i].Decide(new SkuCommands.CountStock(_skus[i].Id, setup.InitialStock[i], "initial-count", "setup"));
        foreach (var listing in setup.Listings)
        {
            var channel = setup.Channels[listing.Channel];
            _skus[listing.Sku].Decide(new ListingCommands.MapListing(
                _skus[listing.Sku].Id, channel.Id, listing.ListingId, channel.Kind, listing.Settings));
        }
        // The setup is written before anything else happens: no restart can lose a mapping.
        foreach (var sku in _skus) sku.LandAll();
        Settle();

        for (var i = 0; i < _scenario.Steps.Count; i++)
        {
            Trace($"== step {i}: {_scenario.Steps[i]}");
            Apply(_scenario.Steps[i]);
            Settle();
        }

        Quiet();
        AssertConverged();
        return Coverage;
    }

    private void Apply(Step step)
    {
        switch (step)
        {
            case Step.Reserve r:
                _skus[r.Sku].Decide(new SkuCommands.Reserve(_skus[r.Sku].Id, r.OrderId, r.LineId, r.Quantity, r.AllowBackorder, "web"));
                break;
            case Step.Cancel c:
                _skus[c.Sku].Decide(new SkuCommands.CancelReservation(_skus[c.Sku].Id, c.OrderId, c.LineId));
                break;
            case Step.Dispatch d:
                _skus[d.Sku].Decide(new SkuCommands.DispatchReservation(_skus[d.Sku].Id, d.OrderId, d.LineId));
                break;
            case Step.Count c:
                _skus[c.Sku].Decide(new SkuCommands.CountStock(_skus[c.Sku].Id, c.OnHand, c.Reference, "count"));
                break;
            case Step.Adjust a:
                _skus[a.Sku].Decide(new SkuCommands.AdjustStock(_skus[a.Sku].Id, a.Delta, a.Reference, "wms"));
                break;
            case Step.Remap m:
                var spec = _scenario.Setup.Listings[m.Listing];
                var channel = _scenario.Setup.Channels[spec.Channel];
                _skus[spec.Sku].Decide(new ListingCommands.MapListing(
                    _skus[spec.Sku].Id, channel.Id, spec.ListingId, channel.Kind, m.Settings));
                break;
            case Step.Advance a:
                RunUntil(Now + TimeSpan.FromMilliseconds(a.Milliseconds));
                break;
            case Step.RestartSku r:
                _skus[r.Sku].Restart(r.WritesLanding, r.FromSnapshot, r.DropInbox, r.Moves);
                break;
            case Step.Snapshot s:
                _skus[s.Sku].TakeSnapshot();
                break;
            case Step.RestartGateway g:
                _gateways[g.Channel].HandOff();
                break;
            case Step.Pause p:
                Coverage.Pauses++;
                ToGateway(OperatorLane, _gateways[p.Channel].Spec.Id, Operator.Pause);
                break;
            case Step.Resume r:
                ToGateway(OperatorLane, _gateways[r.Channel].Spec.Id, Operator.Resume);
                break;
            case Step.Resync r:
                Coverage.Resyncs++;
                ToGateway(OperatorLane, _gateways[r.Channel].Spec.Id, Operator.Resync);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, null);
        }
    }

    /// <summary>
    /// No more faults: the marketplace applies every call at once, every channel is resumed, and time runs until
    /// nothing is pending anywhere. A listing the marketplace refused stays refused until an operator acts: when only
    /// such listings are left, their channels are resynced (the marketplace now accepts them).
    /// </summary>
    private void Quiet()
    {
        Trace("== quiet phase: no more faults, every channel resumed");
        _quiet = true;
        foreach (var gateway in _gateways) ToGateway(OperatorLane, gateway.Spec.Id, Operator.Resume);
        var deadline = Now + QuietLimit;
        var operatorResyncs = 0;
        while (true)
        {
            Settle();
            if (Idle())
            {
                var refused = _skus.SelectMany(s => s.State.Listings.Values)
                    .Where(l => l.SyncedVersion != l.DesiredVersion).Select(l => l.Channel).Distinct().ToList();
                if (refused.Count == 0) return;
                if (++operatorResyncs > 3)
                    throw Failure($"Still not synced after {operatorResyncs - 1} resyncs: {Describe()}");
                foreach (var channel in refused)
                {
                    Trace($"operator resyncs {channel} (refused listings)");
                    Coverage.QuietResyncs++;
                    ToGateway(OperatorLane, channel, Operator.Resync);
                }
                continue;
            }
            var next = NextEventTime();
            if (next is null) throw Failure($"Stuck: nothing is scheduled but the pipeline is not idle. {Describe()}");
            if (next > deadline) throw Failure($"Did not converge within {QuietLimit} of quiet. {Describe()}");
            Now = next.Value;
        }
    }

    /// <summary>Nothing left to do: no write, message, queued update or call pending, and no listing waiting for an acknowledgement.</summary>
    private bool Idle() =>
        _calls.Count == 0 &&
        _skus.All(s => s.Pending.Count == 0 && s.Inbox.Count == 0 && !s.State.HasPendingListings) &&
        _gateways.All(g => !g.HandingOff && g.Inbox.Count == 0 && g.Core.InFlight == 0 && g.Core.Stats(Now).Queued == 0);

    private void AssertConverged()
    {
        foreach (var sku in _skus)
        {
            if (!ReferenceEquals(sku.State, sku.Written) && sku.State != sku.Written)
                throw Failure($"{sku.Id}: the decided state differs from the written one at the end.");
        }
        foreach (var spec in _scenario.Setup.Listings)
        {
            var sku = _skus[spec.Sku];
            var channel = _scenario.Setup.Channels[spec.Channel];
            var key = new ListingKey(channel.Id, spec.ListingId);
            var listing = sku.State.Listings[key];
            var available = sku.State.Levels.Available;
            var desired = AllocationPolicy.Desired(available, listing.Settings);
            var what = $"{key} of {sku.Id} (available {available}, {ListingSpec.Describe(listing.Settings)}, " +
                       $"policy says {desired.Quantity} {desired.Status})";
            if (listing.Desired != desired)
                throw Failure($"{what}: the SKU's desired state is {listing.Desired.Quantity} {listing.Desired.Status}.");
            if (listing.IsPending || listing.SyncedVersion != listing.DesiredVersion)
            {
                throw Failure($"{what}: not synced (desired v{listing.DesiredVersion}, synced v{listing.SyncedVersion}, " +
                              $"refused v{listing.RefusedVersion}).");
            }
            var shown = _gatewayById[channel.Id].Market.Shown(spec.ListingId);
            if (shown is null) throw Failure($"{what}: the marketplace never received it.");
            // An ended listing is out of stock: the gateway accepts a gone listing for any out-of-stock rule.
            var statusOk = shown.Status == desired.Status || desired.Quantity == 0 && shown.Ended;
            if (shown.Quantity != desired.Quantity || !statusOk)
            {
                throw Failure($"{what}: the marketplace shows {shown.Quantity} {shown.Status} (v{shown.Version}) while the " +
                              $"SKU has v{listing.SyncedVersion} acknowledged as {listing.PublishedQuantity} {listing.PublishedStatus}.");
            }
            // A listing the marketplace ended by itself after its version was acknowledged: the SKU records each
            // version once, so it still shows the acknowledged status (the gateway knows it ended, and relists it).
            var endedBehindItsBack = shown is { EndedByMarketplace: true, Quantity: 0 } && listing.PublishedQuantity == 0;
            if (listing.PublishedQuantity != shown.Quantity || listing.PublishedStatus != shown.Status && !endedBehindItsBack)
            {
                throw Failure($"{what}: the SKU believes the marketplace shows {listing.PublishedQuantity} " +
                              $"{listing.PublishedStatus}, it shows {shown.Quantity} {shown.Status}.");
            }
        }
    }

    private string Describe() => string.Join("; ", _skus.Select(s =>
        $"{s.Id} available {s.State.Levels.Available}, {s.Pending.Count} writes and {s.Inbox.Count} messages pending, listings " +
        string.Join(", ", s.State.Listings.Values.Select(l =>
            $"{l.Key} desired {l.Desired.Quantity} {l.Desired.Status} v{l.DesiredVersion} synced v{l.SyncedVersion} refused v{l.RefusedVersion}"))))
        + "; " + string.Join("; ", _gateways.Select(g =>
        {
            var stats = g.Core.Stats(Now);
            return $"{g.Spec.Id} queued {stats.Queued} in flight {stats.InFlight} paused {stats.Paused} handing off {g.HandingOff} " +
                   $"{g.Inbox.Count} messages pending";
        }));

    // ---------------------------------------------------------------- time

    private void RunUntil(DateTimeOffset end)
    {
        Settle();
        while (NextEventTime() is { } next && next <= end)
        {
            Now = next;
            Settle();
        }
        Now = end;
        Settle();
    }

    /// <summary>Handles everything due at <see cref="Now"/>, until nothing more is.</summary>
    private void Settle()
    {
        for (var rounds = 0; ; rounds++)
        {
            if (rounds > 10_000) throw Failure("Livelock: events keep falling due at the same instant.");
            var progressed = false;
            foreach (var sku in _skus) progressed |= sku.LandDueWrites();
            foreach (var sku in _skus) progressed |= sku.DeliverDue();
            foreach (var gateway in _gateways) progressed |= gateway.DeliverDue();
            foreach (var sku in _skus) progressed |= sku.FireDueTimers();
            foreach (var call in _calls.ToArray()) progressed |= call.FireDue();
            foreach (var gateway in _gateways) progressed |= gateway.WakeIfDue();
            if (!progressed) break;
        }
        if (NextEventTime() is { } next && next <= Now)
            throw Failure($"An event is due at {Ms(next)} but was not handled at {Ms(Now)}.");
    }

    private DateTimeOffset? NextEventTime()
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? at)
        {
            if (at is { } t && (next is null || t < next)) next = t;
        }
        foreach (var sku in _skus)
        {
            if (sku.Pending.Count > 0) Consider(sku.Pending.Peek().At);
            if (sku.Inbox.Count > 0) Consider(sku.Inbox.Peek().At);
            foreach (var child in sku.Children.Values) Consider(child.TimerAt);
        }
        foreach (var gateway in _gateways)
        {
            if (!gateway.HandingOff && gateway.Inbox.Count > 0) Consider(gateway.Inbox.Peek().At);
            Consider(gateway.WakeAt);
        }
        foreach (var call in _calls) Consider(call.NextAt);
        return next;
    }

    private TimeSpan NextDelay() =>
        TimeSpan.FromMilliseconds(_scenario.DelaysMs[_nextDelay++ % _scenario.DelaysMs.Count]);

    private static string Ms(DateTimeOffset t) => $"{(t - Start).TotalMilliseconds:0} ms";

    private void Trace(string line) => _trace?.Add($"{(Now - Start).TotalMilliseconds,9:0} ms  {line}");

    private ConvergenceFailure Failure(string message) => new($"At {Ms(Now)}: {message}");

    // ---------------------------------------------------------------- messages

    private enum Operator { Pause, Resume, Resync }

    /// <summary>Operators' commands come from outside the actors, one after the other.</summary>
    private static readonly object OperatorLane = new();

    private void ToGateway(object sender, string channel, object message) =>
        _gatewayById[channel].Inbox.Enqueue(sender, Now, Now + NextDelay(), message);

    private void ToSku(object sender, string sku, object message) =>
        _skuById[sku].Inbox.Enqueue(sender, Now, Now + NextDelay(), message);

    /// <summary>
    /// Messages to one actor, each arriving no sooner than its delay, in order per sender only (Akka's guarantee):
    /// the messages of an incarnation that died may arrive after those of the next one.
    /// </summary>
    private sealed class Mailbox
    {
        private readonly List<Letter> _items = [];
        private readonly Dictionary<object, DateTimeOffset> _lastBySender = new(ReferenceEqualityComparer.Instance);
        private long _sequence;

        public int Count => _items.Count;

        public Letter Peek() => _items[IndexOfFirst()];

        public Letter Dequeue()
        {
            var index = IndexOfFirst();
            var letter = _items[index];
            _items.RemoveAt(index);
            return letter;
        }

        public void Enqueue(object sender, DateTimeOffset sentAt, DateTimeOffset at, object message)
        {
            if (_lastBySender.TryGetValue(sender, out var last) && last > at) at = last;
            _lastBySender[sender] = at;
            _items.Add(new Letter(at, _sequence++, sender, sentAt, message));
        }

        public void Clear() => _items.Clear();

        private int IndexOfFirst()
        {
            var best = 0;
            for (var i = 1; i < _items.Count; i++)
            {
                if (_items[i].At < _items[best].At || _items[i].At == _items[best].At && _items[i].Sequence < _items[best].Sequence)
                    best = i;
            }
            return best;
        }
    }

    private sealed record Letter(DateTimeOffset At, long Sequence, object Sender, DateTimeOffset SentAt, object Message);

    // ---------------------------------------------------------------- SKU entity

    private sealed record PendingWrite(DateTimeOffset At, IReadOnlyList<ISkuEvent> Events, Action OnWritten);

    /// <summary>The glue of <see cref="InventorySync.Cluster.Stock.SkuEntity"/> and <see cref="InventorySync.Cluster.Persistence.GroupCommitEntity"/> around the real decider.</summary>
    private sealed class SkuNode(PipelineModel model, string id)
    {
        public readonly string Id = id;
        public SkuState State = SkuState.Empty(id);
        public SkuState Written = SkuState.Empty(id);
        public readonly List<ISkuEvent> Journal = [];
        public (SkuSnapshot Snapshot, int Events)? Snap;
        public readonly Queue<PendingWrite> Pending = new();
        public readonly Mailbox Inbox = new();
        public readonly Dictionary<ListingKey, ListingNode> Children = new();
        /// <summary>The node the SKU runs on, as a sender: its shard region forwards what its actors send in order.</summary>
        public object Node = new();

        public void Decide(SkuCommands.ISkuCommand command)
        {
            var decision = SkuDecider.Decide(State, command, model.Now);
            State = decision.State;
            if (decision.Events.Count > 0 || command is not ListingCommands.AcknowledgeListing)
            {
                model.Trace($"{Id} decides {Short(command)} -> {decision.Reply.Code}" +
                            (decision.Events.Count > 0 ? $", {string.Join(", ", decision.Events.Select(KindOf))} (rev {State.Revision})" : ""));
            }
            Write(decision.Events, () => TellListings(decision.State));
        }

        private static string Short(SkuCommands.ISkuCommand command) => command switch
        {
            ListingCommands.AcknowledgeListing a =>
                $"ack {a.Channel}/{a.ListingId}@{a.Version} {(a.Applied ? $"applied {a.Quantity} {a.Status}" : "refused")}",
            ListingCommands.MapListing m => $"map {m.Channel}/{m.ListingId} {ListingSpec.Describe(m.Settings)}",
            _ => command.ToString() ?? "",
        };

        private void Write(IReadOnlyList<ISkuEvent> events, Action onWritten)
        {
            if (events.Count == 0 && Pending.Count == 0)
            {
                onWritten();
                return;
            }
            var last = Pending.Count > 0 ? Pending.Last().At : model.Now;
            var at = events.Count == 0 ? last : Latest(model.Now + model.NextDelay(), last);
            Pending.Enqueue(new PendingWrite(at, events, onWritten));
        }

        private void WhenWritten(Action action) => Write([], action);

        public void LandAll()
        {
            while (Pending.Count > 0)
            {
                var write = Pending.Dequeue();
                Journal.AddRange(write.Events);
                write.OnWritten();
            }
        }

        public bool LandDueWrites()
        {
            var landed = false;
            while (Pending.Count > 0 && Pending.Peek().At <= model.Now)
            {
                var write = Pending.Dequeue();
                Journal.AddRange(write.Events);
                write.OnWritten();
                landed = true;
            }
            return landed;
        }

        public bool DeliverDue()
        {
            var delivered = false;
            while (Inbox.Count > 0 && Inbox.Peek().At <= model.Now)
            {
                delivered = true;
                switch (Inbox.Dequeue().Message)
                {
                    case ListingCommands.AcknowledgeListing ack:
                        Decide(ack);
                        break;
                    case ListingSignals.SyncListing sync:
                        WhenWritten(() =>
                        {
                            var key = new ListingKey(sync.Channel, sync.ListingId);
                            if (Written.Listings.TryGetValue(key, out var listing))
                                Child(key).Changed(listing, sync.Force);
                            else if (sync.Force) model.ToGateway(Node, sync.Channel, new Forget(sync.Channel, sync.ListingId));
                        });
                        break;
                    case var other:
                        throw new InvalidOperationException($"{Id} cannot handle {other}");
                }
            }
            return delivered;
        }

        public bool FireDueTimers()
        {
            var fired = false;
            foreach (var child in Children.Values.ToList())
            {
                if (child.TimerAt is { } at && at <= model.Now)
                {
                    child.OnTimer();
                    fired = true;
                }
            }
            return fired;
        }

        /// <summary>Tells each listing its newly written state (SkuEntity.TellListings).</summary>
        private void TellListings(SkuState written)
        {
            var before = Written;
            Written = written;
            if (ReferenceEquals(before.Listings, written.Listings)) return;
            foreach (var (key, listing) in written.Listings)
            {
                if (before.Listings.TryGetValue(key, out var told) && ReferenceEquals(told, listing)) continue;
                Child(key).Changed(listing, false);
            }
            foreach (var key in before.Listings.Keys.Where(k => !written.Listings.ContainsKey(k)).ToList())
            {
                Children.Remove(key);
                model.ToGateway(Node, key.Channel, new Forget(key.Channel, key.ListingId));
            }
        }

        private ListingNode Child(ListingKey key)
        {
            if (!Children.TryGetValue(key, out var child)) Children[key] = child = new ListingNode(model, this, key);
            return child;
        }

        public void TakeSnapshot()
        {
            // The entity snapshots only when every decided event is written.
            if (Pending.Count > 0) return;
            Snap = (SkuSnapshot.Of(State), Journal.Count);
            model.Trace($"{Id} snapshot at {Journal.Count} events (rev {State.Revision})");
        }

        public void Restart(int writesLanding, bool fromSnapshot, bool dropInbox, bool moves)
        {
            var landed = 0;
            var lost = 0;
            foreach (var write in Pending)
            {
                if (write.Events.Count == 0) continue;
                if (landed < writesLanding && lost == 0)
                {
                    Journal.AddRange(write.Events);
                    landed++;
                }
                else lost++;
            }
            Pending.Clear();
            if (moves)
            {
                Node = new object();
                model.Coverage.SkuMoves++;
            }
            if (lost > 0) model.Coverage.SkuRestartsLosingWrites++;
            if (dropInbox && Inbox.Count > 0)
            {
                model.Coverage.DroppedMessages += Inbox.Count;
                Inbox.Clear();
            }
            Children.Clear();

            var fromEvents = Journal.Aggregate(SkuState.Empty(Id), (s, e) => s.Apply(e));
            var recovered = fromEvents;
            if (fromSnapshot && Snap is { } snap)
            {
                model.Coverage.SnapshotRecoveries++;
                recovered = Journal.Skip(snap.Events).Aggregate(snap.Snapshot.ToState(SkuLimits.Default), (s, e) => s.Apply(e));
                if (recovered.Revision != fromEvents.Revision || recovered.Levels != fromEvents.Levels ||
                    !recovered.Listings.OrderBy(x => x.Key.ToString(), StringComparer.Ordinal)
                        .SequenceEqual(fromEvents.Listings.OrderBy(x => x.Key.ToString(), StringComparer.Ordinal)))
                {
                    throw model.Failure($"{Id}: recovery from the snapshot differs from recovery from all events.");
                }
            }
            model.Trace($"{Id} restarts: {landed} pending writes landed, {lost} lost, recovered rev {recovered.Revision} " +
                        $"{(fromSnapshot && Snap is not null ? "from a snapshot" : "from events")}, available {recovered.Levels.Available}");
            State = recovered;
            Written = SkuState.Empty(Id);
            TellListings(State);
        }
    }

    // ---------------------------------------------------------------- listing actor

    /// <summary>The rules of <see cref="ListingActor"/>.</summary>
    private sealed class ListingNode(PipelineModel model, SkuNode skuNode, ListingKey key)
    {
        private readonly string sku = skuNode.Id;
        private readonly object _node = skuNode.Node;

        private ListingState? _listing;
        private long _sentVersion;
        private TimeSpan _resendAfter = model._resendFirst;

        public DateTimeOffset? TimerAt { get; private set; }

        public void Changed(ListingState listing, bool force)
        {
            _listing = listing;
            if (force) Send(force: true);
            else if (!listing.IsPending) TimerAt = null;
            else if (listing.DesiredVersion > _sentVersion) Send(force: false);
        }

        public void OnTimer()
        {
            TimerAt = null;
            if (_listing is not { IsPending: true }) return;
            _resendAfter = TimeSpan.FromTicks(Math.Min(_resendAfter.Ticks * 2, model._resendMax.Ticks));
            Send(force: false);
        }

        private void Send(bool force)
        {
            var x = _listing!;
            if (x.DesiredVersion > _sentVersion) _resendAfter = model._resendFirst;
            _sentVersion = x.DesiredVersion;
            model.Trace($"{key} of {sku} publishes v{x.DesiredVersion} {x.Desired.Quantity} {x.Desired.Status}" +
                        $"{(force ? " (forced)" : "")}, last acknowledged {x.PublishedQuantity?.ToString() ?? "-"} {x.PublishedStatus?.ToString() ?? ""}");
            model.ToGateway(_node, key.Channel, new Publish(
                x.Channel, x.ListingId, x.CurrentListingId, sku, x.Desired.Quantity, x.Desired.Status, x.DesiredVersion,
                x.PublishedQuantity, x.PublishedStatus, force));
            if (x.IsPending || force) TimerAt = model.Now + _resendAfter;
        }
    }

    // ---------------------------------------------------------------- channel gateway

    /// <summary>Jitter that does not depend on the order in which the core walks its sets.</summary>
    private sealed class FixedJitter(double value) : Random
    {
        public override double NextDouble() => value;

        protected override double Sample() => value;
    }

    /// <summary>The glue of <see cref="ChannelGateway"/> around the real core.</summary>
    private sealed class GatewayNode
    {
        private readonly PipelineModel _model;
        private readonly Dictionary<string, string> _directory = new(StringComparer.Ordinal);
        /// <summary>ChannelGateway's ListingsApplied: each listing's newest version acknowledged as applied, written before the acknowledgement goes out.</summary>
        private readonly Dictionary<string, ListingCommands.AcknowledgeListing> _written = new(StringComparer.Ordinal);
        /// <summary>ChannelGateway's ListingsSent: each listing's newest version sent, written before the call goes out.</summary>
        private readonly Dictionary<string, MarketplaceUpdate> _sentWritten = new(StringComparer.Ordinal);
        /// <summary>
        /// Listings this incarnation heard about from the marketplace (an outcome that sets or clears what the core
        /// knows it shows: applied, gone, a failure, a timeout, an answer that left it out; not a throttle nor a
        /// refusal): what it knows of the others came from the SKUs.
        /// </summary>
        private readonly HashSet<string> _learned = new(StringComparer.Ordinal);
        /// <summary>The newest version of each listing any incarnation acknowledged (applied or refused).</summary>
        private readonly Dictionary<string, long> _newestAcknowledged = new(StringComparer.Ordinal);
        private bool _paused;
        private int _incarnation = 1;
        private object _incarnationLane = new();
        private DateTimeOffset _startedAt;
        /// <summary>Versions this incarnation took in from a stale publish (see <see cref="DeliverDue"/>).</summary>
        private readonly HashSet<(string ListingId, long Version)> _stalePublishes = [];

        public GatewayNode(PipelineModel model, ChannelSpec spec)
        {
            _model = model;
            Spec = spec;
            Market = new MarketplaceNode(model, spec.Id, FromStalePublish);
            Core = NewCore();
        }

        public ChannelSpec Spec { get; }
        public MarketplaceNode Market { get; }
        public GatewayCore Core { get; private set; }
        public Mailbox Inbox { get; } = new();
        public bool HandingOff { get; private set; }
        public DateTimeOffset? WakeAt { get; private set; }

        private GatewayCore NewCore() => new(Spec.Definition, _model.Now, new FixedJitter(_model._scenario.Setup.Jitter));

        /// <summary>Messages wait in the region while the gateway hands off, and reach the next incarnation.</summary>
        public bool DeliverDue()
        {
            var delivered = false;
            while (!HandingOff && Inbox.Count > 0 && Inbox.Peek().At <= _model.Now)
            {
                delivered = true;
                var letter = Inbox.Dequeue();
                switch (letter.Message)
                {
                    case Publish publish:
                        if (letter.SentAt < _startedAt && !ReferenceEquals(letter.Sender, _model._skuById[publish.Sku].Node))
                        {
                            // Sent by a node the SKU has left, before this incarnation started, and overtaken on the
                            // way: no incarnation that saw what came after it is left to put it in its place.
                            _model.Coverage.StalePublishesAfterGatewayRestart++;
                            _model.Trace($"{Spec.Id} receives a stale publish of {publish.ListingId}@{publish.Version} from a node {publish.Sku} has left");
                            _stalePublishes.Add((publish.ListingId, publish.Version));
                        }
                        if (!_directory.TryGetValue(publish.ListingId, out var sku) || sku != publish.Sku)
                        {
                            _directory[publish.ListingId] = publish.Sku;
                            if (_written.TryGetValue(publish.ListingId, out var w) && w.Sku != publish.Sku) _written.Remove(publish.ListingId);
                            if (_sentWritten.TryGetValue(publish.ListingId, out var sw) && sw.Sku != publish.Sku) _sentWritten.Remove(publish.ListingId);
                        }
                        Core.Enqueue(publish, _model.Now);
                        break;
                    case Forget forget:
                        Core.Forget(forget.ListingId);
                        _directory.Remove(forget.ListingId);
                        _written.Remove(forget.ListingId);
                        _sentWritten.Remove(forget.ListingId);
                        break;
                    case Operator command:
                        Operate(command);
                        break;
                    case var other:
                        throw new InvalidOperationException($"{Spec.Id} cannot handle {other}");
                }
                Pump();
            }
            return delivered;
        }

        public bool WakeIfDue()
        {
            if (WakeAt is not { } at || at > _model.Now) return false;
            WakeAt = null;
            Pump();
            return true;
        }

        public void HandOff()
        {
            if (HandingOff) return;
            HandingOff = true;
            Core.Pause();
            if (Core.InFlight > 0) _model.Coverage.GatewayRestartsWithCallsInFlight++;
            _model.Trace($"{Spec.Id} hands off once its {Core.InFlight} listings in flight are settled");
            Pump();
        }

        /// <summary>
        /// ChannelGateway.Pump: every call due (the versions it sends written first, as one write the model takes as
        /// instant), the acknowledgements out, the hand-off finished, the timer set.
        /// </summary>
        public void Pump()
        {
            while (Core.NextBatch(_model.Now) is { } batch)
            {
                foreach (var update in batch.Updates)
                {
                    if (!_sentWritten.TryGetValue(update.ListingId, out var sent) || sent.Sku != update.Sku || update.Version > sent.Version)
                        _sentWritten[update.ListingId] = update;
                }
                _model.Send(this, batch);
            }
            // One gateway's acknowledgements reach a SKU in order; the core's order among listings depends on how it
            // walks its sets, so keep each listing's order and sort the listings, for a deterministic run.
            var acknowledgements = Core.TakeAcknowledgements()
                .OrderBy(a => a.Sku, StringComparer.Ordinal).ThenBy(a => a.ListingId, StringComparer.Ordinal).ToList();
            foreach (var ack in acknowledgements)
            {
                _model.Trace($"{Spec.Id} acknowledges {ack.ListingId}@{ack.Version} to {ack.Sku}: " +
                             (ack.Applied ? $"applied {ack.Quantity} {ack.Status}" : $"refused ({ack.Message})"));
                if (ack.Applied && Restored(ack)) _model.Coverage.RestoredAcknowledgements++;
                else if (ack.Applied && !_learned.Contains(ack.ListingId)) CheckUnlearned(ack);
                if (ack.Applied && (!_written.TryGetValue(ack.ListingId, out var written) || written.Sku != ack.Sku || ack.Version > written.Version))
                    _written[ack.ListingId] = ack;
                _newestAcknowledged[ack.ListingId] = Math.Max(_newestAcknowledged.GetValueOrDefault(ack.ListingId), ack.Version);
                _model.ToSku(_incarnationLane, ack.Sku, ack);
            }
            if (HandingOff && Core.InFlight == 0)
            {
                Restart();
                return;
            }
            var wake = Core.NextWakeUp(_model.Now);
            WakeAt = wake is { } w ? w - _model.Now > OneMs ? w : _model.Now + OneMs : null;
        }

        /// <summary>
        /// An incarnation that never heard from the marketplace about a listing can only acknowledge it from what the
        /// SKU told it: that must be what the marketplace shows (no earlier call can land any more: the hand-off waited).
        /// </summary>
        private void CheckUnlearned(ListingCommands.AcknowledgeListing ack)
        {
            var shown = Market.Shown(ack.ListingId);
            if (shown is not null && shown.Quantity == ack.Quantity && shown.Status == ack.Status) return;
            throw new StaleSeedAcknowledged(
                $"At {Ms(_model.Now)}: {Spec.Id} (incarnation {_incarnation}, nothing heard from the marketplace about {ack.ListingId}) acknowledged " +
                $"{ack.ListingId}@{ack.Version} as applied, showing {ack.Quantity} {ack.Status}, without a call: the " +
                $"marketplace shows {(shown is null ? "nothing" : $"{shown.Quantity} {shown.Status} (v{shown.Version})")}. " +
                "GatewayCore.Enqueue took the listing's last acknowledged value (PublishedQuantity/PublishedStatus) for " +
                "what the marketplace shows, but a newer value had been applied without its acknowledgement being written.");
        }

        public void Learned(string listingId) => _learned.Add(listingId);

        /// <summary>A re-acknowledgement of a version whose acknowledgement an earlier incarnation wrote (its SKU has it already).</summary>
        private bool Restored(ListingCommands.AcknowledgeListing ack) =>
            _restored.TryGetValue(ack.ListingId, out var restored) && restored.Sku == ack.Sku && ack.Version <= restored.Version;

        private readonly Dictionary<string, ListingCommands.AcknowledgeListing> _restored = new(StringComparer.Ordinal);

        /// <summary>
        /// The marketplace ends a listing by itself only while a version no gateway has acknowledged yet is on its way:
        /// its SKU keeps that version pending until the gateway has dealt with the listing being gone. A listing ended
        /// behind the pipeline's back after its value was acknowledged is drift only a resync can find, and what a
        /// resync finds does not survive a gateway restart: the relist is queued in the core alone, the SKU has the
        /// version acknowledged and never publishes it again (outside this property).
        /// </summary>
        public bool FromStalePublish(MarketplaceUpdate update) => _stalePublishes.Contains((update.ListingId, update.Version));

        public bool NeverAcknowledged(MarketplaceUpdate update) =>
            update.Version > _newestAcknowledged.GetValueOrDefault(update.ListingId);

        private void Restart()
        {
            HandingOff = false;
            _learned.Clear();
            _incarnation++;
            _incarnationLane = new object();
            _startedAt = _model.Now;
            _stalePublishes.Clear();
            Core = NewCore();
            _restored.Clear();
            foreach (var (listingId, ack) in _written)
            {
                Core.Restore(listingId, ack.Sku, ack.Version, ack.Quantity, ack.Status);
                _restored[listingId] = ack;
            }
            foreach (var (listingId, sent) in _sentWritten) Core.RestoreSent(listingId, sent.Sku, sent.Version);
            _model.Trace($"{Spec.Id} restarted (incarnation {_incarnation}), paused: {_paused}, directory: " +
                         string.Join(", ", _directory.Select(d => $"{d.Key}->{d.Value}")));
            if (_paused) Core.Pause();
            QueueSyncs(force: false);
            Pump();
        }

        private void QueueSyncs(bool force)
        {
            foreach (var (listingId, sku) in _directory)
                _model.ToSku(_incarnationLane, sku, new ListingSignals.SyncListing(sku, Spec.Id, listingId, force));
        }

        public void Operate(Operator command)
        {
            switch (command)
            {
                case Operator.Pause:
                    _paused = true;
                    Core.Pause();
                    break;
                case Operator.Resume:
                    _paused = false;
                    Core.Resume();
                    break;
                case Operator.Resync:
                    Core.Resync(_model.Now);
                    QueueSyncs(force: true);
                    break;
            }
            _model.Trace($"{Spec.Id} {command.ToString().ToLowerInvariant()}");
        }
    }

    // ---------------------------------------------------------------- calls and the marketplace

    private void Send(GatewayNode gateway, GatewayBatch batch)
    {
        var number = ++_callNumber;
        Coverage.Calls++;
        var reaction = _quiet ? new Reaction.Answer(0) : _scenario.Reactions[_nextReaction++ % _scenario.Reactions.Count];
        var spec = gateway.Spec;
        var call = new OpenCall(this, gateway, gateway.Core, batch, reaction, number);
        var timeout = TimeSpan.FromMilliseconds(spec.CallTimeoutMs);
        // An answer always comes before the call's timeout; a call that hangs is cancelled at it.
        var answerAfter = reaction switch
        {
            Reaction.Answer a => a.LatencyMs,
            Reaction.ServerError e => e.LatencyMs,
            Reaction.Throw t => t.LatencyMs,
            Reaction.Omit o => o.LatencyMs,
            Reaction.Throttle => 0,
            _ => (int?)null,
        };
        if (answerAfter is { } latency)
        {
            call.AnswerAt = Now + Min(TimeSpan.FromMilliseconds(latency), timeout - OneMs);
        }
        else if (reaction is Reaction.Hang { LandsAfterTimeoutMs: var lands })
        {
            call.TimeoutAt = Now + timeout;
            if (lands is { } late && spec.LandingGraceMs > 0)
                call.LandAt = Now + timeout + TimeSpan.FromMilliseconds(Math.Min(late, spec.LandingGraceMs - 1));
        }
        var openUntil = call.AnswerAt ?? call.LandAt ?? call.TimeoutAt!.Value;
        foreach (var update in batch.Updates)
        {
            if (gateway.Market.OpenUntil.TryGetValue(update.ListingId, out var open) && open > Now)
            {
                throw Failure($"{spec.Id} call #{number} sends {update.ListingId}@{update.Version} while an earlier call " +
                              $"for it may still land until {Ms(open)}.");
            }
            gateway.Market.OpenUntil[update.ListingId] = openUntil;
        }
        Trace($"{spec.Id} call #{number}: [{string.Join(", ", batch.Updates.Select(u =>
            $"{u.ListingId}@{u.Version} {u.Quantity} {u.Status} (known {u.KnownStatus?.ToString() ?? "?"})"))}] -> {reaction}");
        _calls.Add(call);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class OpenCall(
        PipelineModel model, GatewayNode gateway, GatewayCore core, GatewayBatch batch, Reaction reaction, int number)
    {
        public DateTimeOffset? AnswerAt;
        public DateTimeOffset? TimeoutAt;
        public DateTimeOffset? LandAt;

        public DateTimeOffset? NextAt => AnswerAt ?? TimeoutAt ?? LandAt;

        public bool FireDue()
        {
            var fired = false;
            var now = model.Now;
            if (AnswerAt is { } answerAt && answerAt <= now)
            {
                AnswerAt = null;
                model._calls.Remove(this);
                Answer();
                fired = true;
            }
            if (TimeoutAt is { } timeoutAt && timeoutAt <= now)
            {
                TimeoutAt = null;
                if (LandAt is null)
                {
                    model._calls.Remove(this);
                    model.Coverage.NeverLanded++;
                }
                model.Trace($"{gateway.Spec.Id} call #{number} timed out");
                // The answer of a call the previous incarnation made goes to dead letters.
                if (ReferenceEquals(core, gateway.Core))
                {
                    core.TimedOut(batch, now);
                    foreach (var update in batch.Updates) gateway.Learned(update.ListingId);
                    gateway.Pump();
                }
                fired = true;
            }
            if (TimeoutAt is null && LandAt is { } landAt && landAt <= now)
            {
                LandAt = null;
                model._calls.Remove(this);
                model.Coverage.LateLandings++;
                model.Trace($"{gateway.Spec.Id} call #{number} lands late");
                foreach (var update in batch.Updates) gateway.Market.Apply(update, reject: false, endFirst: false);
                fired = true;
            }
            return fired;
        }

        private void Answer()
        {
            var market = gateway.Market;
            var updates = batch.Updates;
            List<UpdateOutcome>? outcomes = null;
            switch (reaction)
            {
                case Reaction.Answer a:
                    outcomes = updates.Select((u, i) =>
                        market.Apply(u, i == a.RejectIndex, i == a.GoneIndex && gateway.NeverAcknowledged(u))).ToList();
                    break;
                case Reaction.Omit:
                    model.Coverage.AppliedButFailed++;
                    outcomes = updates.Select(u => market.Apply(u, false, false)).Skip(1).ToList();
                    break;
                case Reaction.Throttle t:
                    model.Coverage.Throttles++;
                    outcomes = updates.Select(u => new UpdateOutcome(u.ListingId, UpdateResult.Throttled,
                        t.RetryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, Message: "429")).ToList();
                    break;
                case Reaction.ServerError e:
                    model.Coverage.Failures++;
                    if (e.Applied)
                    {
                        model.Coverage.AppliedButFailed++;
                        foreach (var u in updates) market.Apply(u, false, false);
                    }
                    outcomes = updates.Select(u => new UpdateOutcome(u.ListingId, UpdateResult.TransientFailure, Message: "503")).ToList();
                    break;
                case Reaction.Throw e:
                    model.Coverage.Failures++;
                    if (e.Applied)
                    {
                        model.Coverage.AppliedButFailed++;
                        foreach (var u in updates) market.Apply(u, false, false);
                    }
                    break;
            }
            model.Trace($"{gateway.Spec.Id} call #{number} answered: " + (outcomes is null
                ? "exception"
                : string.Join(", ", outcomes.Select(o => $"{o.ListingId} {o.Result}{(o.CurrentListingId is { } id ? $" as {id}" : "")}"))));
            if (!ReferenceEquals(core, gateway.Core)) return;
            if (outcomes is null) core.Fail(batch, model.Now);
            else core.Complete(batch, outcomes, model.Now);
            foreach (var update in updates)
            {
                var outcome = outcomes?.FirstOrDefault(o => o.ListingId == update.ListingId);
                if (outcome?.Result is not (UpdateResult.Throttled or UpdateResult.Rejected)) gateway.Learned(update.ListingId);
            }
            gateway.Pump();
        }
    }

    /// <summary>What a marketplace shows for a listing, and the version of the update that set it.</summary>
    public sealed record Shown(
        long Quantity, ListingStatus Status, long Version, string CurrentListingId, bool Ended, bool EndedByMarketplace = false);

    /// <summary>
    /// A marketplace: applies updates as they land, ends a listing on a status of ended (or when found ended), answers
    /// an ended listing gone unless the gateway knows it ended and wants stock on it (then it relists under a new id),
    /// and fails the run when a listing is applied a version older than one it already applied.
    /// </summary>
    private sealed class MarketplaceNode(PipelineModel model, string channel, Func<MarketplaceUpdate, bool> fromStalePublish)
    {
        private readonly Dictionary<string, Shown> _shown = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _newestApplied = new(StringComparer.Ordinal);
        private int _relists;

        public Dictionary<string, DateTimeOffset> OpenUntil { get; } = new(StringComparer.Ordinal);

        public Shown? Shown(string listingId) => _shown.GetValueOrDefault(listingId);

        public UpdateOutcome Apply(MarketplaceUpdate update, bool reject, bool endFirst)
        {
            var id = update.ListingId;
            if (reject)
            {
                model.Coverage.Rejections++;
                model.Trace($"{channel} marketplace rejects {id}@{update.Version}");
                return new UpdateOutcome(id, UpdateResult.Rejected, Message: "Refused (scripted)");
            }
            var shown = _shown.GetValueOrDefault(id);
            if (endFirst)
            {
                shown = (shown ?? new Shown(0, ListingStatus.Ended, 0, update.CurrentListingId, true))
                    with { Quantity = 0, Status = ListingStatus.Ended, Ended = true, EndedByMarketplace = true };
                _shown[id] = shown;
                model.Trace($"{channel} marketplace: {id} ended (sold out or ended by hand)");
            }
            string? relisted = null;
            if (shown is { Ended: true })
            {
                if (update.Quantity == 0 || update.KnownStatus != ListingStatus.Ended)
                {
                    model.Coverage.Gone++;
                    return new UpdateOutcome(id, UpdateResult.Gone, Message: "The listing has ended.");
                }
                relisted = $"{id}-relist-{++_relists}";
                model.Coverage.Relists++;
            }
            if (_newestApplied.TryGetValue(id, out var newest) && update.Version < newest)
            {
                if (fromStalePublish(update))
                {
                    throw new StalePublishApplied($"At {Ms(model.Now)}: {channel} marketplace applied {id}@{update.Version} " +
                        $"({update.Quantity} {update.Status}) after version {newest}: a publish from a node its SKU had left " +
                        "reached a gateway incarnation that no longer knew of the newer version.");
                }
                throw model.Failure($"{channel} marketplace applied {id}@{update.Version} ({update.Quantity} {update.Status}) " +
                                    $"after it had applied version {newest}.");
            }
            _newestApplied[id] = Math.Max(newest, update.Version);
            _shown[id] = new Shown(update.Quantity, update.Status, update.Version,
                relisted ?? shown?.CurrentListingId ?? update.CurrentListingId, update.Status == ListingStatus.Ended);
            model.Trace($"{channel} marketplace applies {id}@{update.Version}: {update.Quantity} {update.Status}" +
                        (relisted is null ? "" : $", relisted as {relisted}"));
            return new UpdateOutcome(id, UpdateResult.Applied, CurrentListingId: relisted);
        }
    }
}
