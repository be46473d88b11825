using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using InventorySync.Cluster.Listings;
using InventorySync.Cluster.Persistence;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Stock;
using static InventorySync.Cluster.Channels.ChannelEvents;

namespace InventorySync.Cluster.Channels;

/// <summary>
/// One channel account's gateway (entity of the <c>channel</c> region, persistence id <c>channel-&lt;id&gt;</c>). It runs
/// the rules of <see cref="GatewayCore"/> against the marketplace's client: calls go out with a cancellation at the
/// channel's call timeout and their results come back as messages; one timer on the injected clock wakes it when the
/// core next has something due; acknowledgements go to the SKUs. It persists only a directory of its listings (listing
/// id → SKU) and the pause flag: after a start, a move or a resync it asks every SKU of the directory to publish again
/// (a few hundred at a time), so pending listings converge without any new command.
/// </summary>
public sealed class ChannelGateway : GroupCommitEntity
{
    public const int SnapshotEvery = 1_000;

    /// <summary>SKUs asked to publish again at once after a start or a resync: the rest follow round by round.</summary>
    public const int SyncRoundSize = 250;

    public static readonly TimeSpan SyncRoundInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The timer never fires sooner than this after it is set, so a wake-up can never become a busy loop.</summary>
    private static readonly TimeSpan ShortestWake = TimeSpan.FromMilliseconds(1);

    private sealed class WakeUp
    {
        public static readonly WakeUp Instance = new();
    }

    private sealed record CallAnswered(GatewayBatch Batch, IReadOnlyList<UpdateOutcome> Outcomes);

    private sealed record CallFailed(GatewayBatch Batch, Exception Error);

    private readonly ChannelDefinition _channel;
    private readonly IMarketplaceClient _client;
    private readonly TimeProvider _clock;
    private readonly Func<IActorRef> _skus;
    private readonly IActorRef _self;
    private readonly GatewayCore _core;
    private readonly Dictionary<string, string> _skuOfListing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppliedListing> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SentListing> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<long, CancellationTokenSource> _callTimeouts = [];
    private readonly Queue<ListingSignals.SyncListing> _syncs = new();
    private DateTimeOffset _nextSyncRound;
    private bool _paused;
    private bool _handingOff;
    private ITimer? _timer;
    private DateTimeOffset? _wakeAt;

    public ChannelGateway(ChannelDefinition channel, IMarketplaceClient client, TimeProvider clock, Func<IActorRef> skus)
        : base(PersistenceIdFor(channel.Id), SnapshotEvery)
    {
        _channel = channel;
        _client = client;
        _clock = clock;
        _skus = skus;
        _self = Self;
        // Built before recovery: the bucket starts empty now, so a gateway that just moved here cannot burst.
        _core = new GatewayCore(channel, clock.GetUtcNow(), new Random());

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is not ChannelGatewaySnapshot snapshot) return;
            foreach (var (listingId, sku) in snapshot.Listings) _skuOfListing[listingId] = sku;
            foreach (var applied in snapshot.Applied ?? []) _applied[applied.ListingId] = applied;
            foreach (var sent in snapshot.Sent ?? []) _sent[sent.ListingId] = sent;
            _paused = snapshot.Paused;
        });
        Recover<IChannelEvent>(e =>
        {
            Apply(e);
            Recovered();
        });
        Recover<RecoveryCompleted>(_ => Started());

        Command<ChannelCommands.Publish>(Publish);
        Command<ChannelCommands.Forget>(Forget);
        Command<ChannelCommands.Pause>(_ => SetPaused(true));
        Command<ChannelCommands.Resume>(_ => SetPaused(false));
        Command<ChannelCommands.Resync>(_ => Resync());
        Command<ChannelCommands.Wake>(_ => Pump());
        Command<ChannelQueries.GetStats>(_ => Sender.Tell(Stats()));
        Command<WakeUp>(_ =>
        {
            _wakeAt = null;
            Pump();
        });
        Command<CallAnswered>(OnCallAnswered);
        Command<CallFailed>(OnCallFailed);
        // A hand-off waits for the calls in flight (at most their timeout plus landing grace), so that the gateway's
        // next incarnation on another node cannot send a listing's newer value before an older one has landed.
        Command<StopEntity>(_ => HandOff(), _ => _core.InFlight > 0);
        CommandLifecycle();
    }

    public static string PersistenceIdFor(string channel) => "channel-" + channel;

    public static Props Props(ChannelDefinition channel, IMarketplaceClientFactory clients, TimeProvider clock, Func<IActorRef> skus) =>
        Akka.Actor.Props.Create(() => new ChannelGateway(channel, clients.Create(channel), clock, skus));

    protected override object Snapshot() =>
        new ChannelGatewaySnapshot(_channel.Id, new Dictionary<string, string>(_skuOfListing, StringComparer.Ordinal), _paused,
            _applied.Values.ToList(), _sent.Values.ToList());

    protected override int StateSize => _skuOfListing.Count;

    private DateTimeOffset Now => _clock.GetUtcNow();

    private void Started()
    {
        foreach (var a in _applied.Values) _core.Restore(a.ListingId, a.Sku, a.Version, a.Quantity, a.Status);
        foreach (var s in _sent.Values) _core.RestoreSent(s.ListingId, s.Sku, s.Version);
        if (_paused) _core.Pause();
        QueueSyncs(force: false);
        Log.Info("Channel gateway {Channel} ({Marketplace}) started: {Listings} listings in its directory, paused: {Paused}",
            _channel.Id, _channel.Marketplace, _skuOfListing.Count, _paused);
        Pump();
    }

    private void Publish(ChannelCommands.Publish publish)
    {
        if (StashedForSnapshot()) return;
        var now = Now;
        if (!_skuOfListing.TryGetValue(publish.ListingId, out var sku) || sku != publish.Sku)
        {
            // The directory only serves to wake SKUs after a restart, and a listing re-sends until it is acknowledged:
            // its update need not wait for this write.
            Record(new ListingRegistered(_channel.Id, publish.ListingId, publish.Sku, now));
        }
        _core.Enqueue(publish, now);
        Pump();
    }

    private void Forget(ChannelCommands.Forget forget)
    {
        if (StashedForSnapshot()) return;
        _core.Forget(forget.ListingId);
        if (_skuOfListing.ContainsKey(forget.ListingId)) Record(new ListingForgotten(_channel.Id, forget.ListingId, Now));
        Pump();
    }

    private void SetPaused(bool paused)
    {
        if (StashedForSnapshot()) return;
        if (paused != _paused)
        {
            Record(paused ? new ChannelPaused(_channel.Id, Now) : new ChannelResumed(_channel.Id, Now));
            Log.Info("Channel {Channel} {Change} by an operator", _channel.Id, paused ? "paused" : "resumed");
        }
        // A gateway handing off stays paused whatever an operator says: its next incarnation takes the setting over.
        if (_paused || _handingOff) _core.Pause();
        else _core.Resume();
        Pump();
        ReplyWhenWritten(Stats());
    }

    private void Resync()
    {
        _core.Resync(Now);
        QueueSyncs(force: true);
        Log.Info("Channel {Channel} resync: re-sending every listing and asking {Listings} SKUs to publish again",
            _channel.Id, _skuOfListing.Count);
        Pump();
        Sender.Tell(Stats());
    }

    private void HandOff()
    {
        _handingOff = true;
        _core.Pause();
        Log.Info("Channel gateway {Channel} hands off once its {InFlight} listings in flight are settled",
            _channel.Id, _core.InFlight);
        Pump();
    }

    /// <summary>
    /// Sends the acknowledgements once the versions they confirm are written, so that the gateway's next incarnation
    /// knows every version a SKU has had acknowledged.
    /// </summary>
    private void Acknowledge(IActorRef skus, IReadOnlyList<ListingCommands.AcknowledgeListing> acknowledgements)
    {
        if (acknowledgements.Count == 0) return;
        var applied = acknowledgements
            .Where(a => a.Applied && IsNewerApplied(a.ListingId, a.Sku, a.Version))
            .Select(a => new AppliedListing(a.ListingId, a.Sku, a.Version, a.Quantity, a.Status))
            .ToList();
        void Send()
        {
            foreach (var acknowledgement in acknowledgements) skus.Tell(acknowledgement);
        }
        if (applied.Count == 0)
        {
            WhenWritten(Send);
            return;
        }
        var e = new ListingsApplied(_channel.Id, applied, Now);
        Apply(e);
        Write([e], Send);
    }

    private void Record(IChannelEvent e)
    {
        Apply(e);
        Write([e], () => { });
    }

    private void Apply(IChannelEvent e)
    {
        switch (e)
        {
            case ListingRegistered registered:
                _skuOfListing[registered.ListingId] = registered.Sku;
                if (_applied.TryGetValue(registered.ListingId, out var before) && before.Sku != registered.Sku)
                    _applied.Remove(registered.ListingId);
                if (_sent.TryGetValue(registered.ListingId, out var sentBefore) && sentBefore.Sku != registered.Sku)
                    _sent.Remove(registered.ListingId);
                break;
            case ListingForgotten forgotten:
                _skuOfListing.Remove(forgotten.ListingId);
                _applied.Remove(forgotten.ListingId);
                _sent.Remove(forgotten.ListingId);
                break;
            case ListingsSent sent:
                foreach (var listing in sent.Listings)
                {
                    if (IsNewerSent(listing.ListingId, listing.Sku, listing.Version)) _sent[listing.ListingId] = listing;
                }
                break;
            case ListingsApplied applied:
                foreach (var listing in applied.Listings)
                {
                    if (IsNewerApplied(listing.ListingId, listing.Sku, listing.Version)) _applied[listing.ListingId] = listing;
                }
                break;
            case ChannelPaused:
                _paused = true;
                break;
            case ChannelResumed:
                _paused = false;
                break;
        }
    }

    /// <summary>A version newer than the listing's known applied one, or from another SKU (a new version history).</summary>
    private bool IsNewerApplied(string listingId, string sku, long version) =>
        !_applied.TryGetValue(listingId, out var known) || known.Sku != sku || version > known.Version;

    private bool IsNewerSent(string listingId, string sku, long version) =>
        !_sent.TryGetValue(listingId, out var known) || known.Sku != sku || version > known.Version;

    /// <summary>Every listing of the directory is asked of its SKU again, from now on, round by round.</summary>
    private void QueueSyncs(bool force)
    {
        _syncs.Clear();
        foreach (var (listingId, sku) in _skuOfListing)
            _syncs.Enqueue(new ListingSignals.SyncListing(sku, _channel.Id, listingId, force));
        _nextSyncRound = Now;
    }

    /// <summary>Makes every call that is due, hands out acknowledgements and syncs, and sets the timer for what is next.</summary>
    private void Pump()
    {
        // The clock is read for each call, so a call's token is taken as close as can be to when the call goes out.
        while (_core.NextBatch(Now) is { } batch) Send(batch);
        var now = Now;
        var skus = _skus();
        Acknowledge(skus, _core.TakeAcknowledgements());
        if (_syncs.Count > 0 && now >= _nextSyncRound)
        {
            for (var i = 0; i < SyncRoundSize && _syncs.TryDequeue(out var sync); i++) skus.Tell(sync);
            _nextSyncRound = now + SyncRoundInterval;
        }
        if (_handingOff && _core.InFlight == 0)
        {
            _handingOff = false;
            _self.Tell(StopEntity.Instance);
        }
        SetTimer(now);
    }

    /// <summary>
    /// Makes the call once the versions it sends for the first time are written (a call that only sends versions sent
    /// before goes at once): the marketplace may apply them and still fail the call, and the gateway's next
    /// incarnation must not send anything older after them.
    /// </summary>
    private void Send(GatewayBatch batch)
    {
        List<SentListing>? newer = null;
        foreach (var update in batch.Updates)
        {
            if (IsNewerSent(update.ListingId, update.Sku, update.Version))
                (newer ??= []).Add(new SentListing(update.ListingId, update.Sku, update.Version));
        }
        if (newer is null)
        {
            Call(batch);
            return;
        }
        var e = new ListingsSent(_channel.Id, newer, Now);
        Apply(e);
        Write([e], () => Call(batch));
    }

    private void Call(GatewayBatch batch)
    {
        var timeout = new CancellationTokenSource(batch.Timeout, _clock);
        _callTimeouts[batch.CallId] = timeout;
        Task<IReadOnlyList<UpdateOutcome>> call;
        try
        {
            call = _client.SendAsync(batch.Updates, timeout.Token);
        }
        catch (Exception e)
        {
            call = Task.FromException<IReadOnlyList<UpdateOutcome>>(e);
        }
        call.PipeTo(_self, success: outcomes => new CallAnswered(batch, outcomes), failure: e => new CallFailed(batch, e));
    }

    private void OnCallAnswered(CallAnswered answered)
    {
        EndCall(answered.Batch.CallId);
        foreach (var outcome in answered.Outcomes)
        {
            if (outcome.Result == UpdateResult.Rejected)
            {
                Log.Warning("Channel {Channel} refused listing {ListingId}: {Message}",
                    _channel.Id, outcome.ListingId, outcome.Message);
            }
        }
        var failed = answered.Outcomes.Where(o => o.Result == UpdateResult.TransientFailure).ToList();
        if (failed.Count > 0)
        {
            Log.Warning("Channel {Channel}: call {CallId} failed for {Failed} of {Updates} updates, retrying after a back-off: {Message}",
                _channel.Id, answered.Batch.CallId, failed.Count, answered.Batch.Updates.Count, failed[0].Message);
        }
        _core.Complete(answered.Batch, answered.Outcomes, Now);
        Pump();
    }

    private void OnCallFailed(CallFailed failed)
    {
        var batch = failed.Batch;
        var timedOut = _callTimeouts.TryGetValue(batch.CallId, out var timeout) && timeout.IsCancellationRequested;
        EndCall(batch.CallId);
        if (timedOut)
        {
            Log.Warning("Channel {Channel}: call {CallId} with {Updates} updates timed out after {Timeout}; its listings " +
                        "wait {LandingGrace} more before a retry, in case it still lands",
                _channel.Id, batch.CallId, batch.Updates.Count, batch.Timeout, _channel.LandingGrace);
            _core.TimedOut(batch, Now);
        }
        else
        {
            Log.Warning(failed.Error, "Channel {Channel}: call {CallId} with {Updates} updates failed; retrying after a back-off",
                _channel.Id, batch.CallId, batch.Updates.Count);
            _core.Fail(batch, Now);
        }
        Pump();
    }

    private void EndCall(long callId)
    {
        if (_callTimeouts.Remove(callId, out var timeout)) timeout.Dispose();
    }

    private ChannelStats Stats() => _core.Stats(Now) with { Listings = _skuOfListing.Count };

    private void SetTimer(DateTimeOffset now)
    {
        var wakeAt = _core.NextWakeUp(now);
        if (_syncs.Count > 0 && (wakeAt is null || _nextSyncRound < wakeAt)) wakeAt = _nextSyncRound;
        if (wakeAt == _wakeAt) return;
        _wakeAt = wakeAt;
        var self = _self;
        _timer ??= _clock.CreateTimer(_ => self.Tell(WakeUp.Instance), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var dueIn = wakeAt is { } at
            ? at - now > ShortestWake ? at - now : ShortestWake
            : Timeout.InfiniteTimeSpan;
        _timer.Change(dueIn, Timeout.InfiniteTimeSpan);
    }

    protected override void PostStop()
    {
        _timer?.Dispose();
        foreach (var timeout in _callTimeouts.Values)
        {
            timeout.Cancel();
            timeout.Dispose();
        }
        _callTimeouts.Clear();
        base.PostStop();
    }
}
