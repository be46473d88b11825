using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Listings;
using InventorySync.Cluster.Persistence;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Stock;

/// <summary>
/// The single writer of one SKU's stock: decides each command on its in-memory state with the pure
/// <see cref="SkuDecider"/>, and replies only after the decided events are written (see <see cref="GroupCommitEntity"/>).
/// Its listings are child actors, told each listing's state once it is written; the entity stays up (does not
/// passivate) while any listing waits for its marketplace's acknowledgement.
/// </summary>
public sealed class SkuEntity : GroupCommitEntity, IWithTimers
{
    private sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }

    private readonly TimeProvider _clock;
    private readonly Func<IActorRef> _gateways;
    private readonly SkuSettings _settings;
    private SkuState _state;

    /// <summary>The state as of the last written event: what the listing children have been told.</summary>
    private SkuState _written;

    /// <summary>When the entity last got a message addressed to its SKU (<see cref="Environment.TickCount64"/>).</summary>
    private long _lastAddressed = Environment.TickCount64;

    public SkuEntity(
        string sku, SkuSettings settings, TimeProvider clock, Func<IActorRef> gateways)
        : base(PersistenceIdFor(sku), settings.SnapshotEvery)
    {
        _clock = clock;
        _gateways = gateways;
        _settings = settings;
        var limits = new SkuLimits(settings.ClosedReservationWindow, settings.ReferenceWindow);
        _state = SkuState.Empty(sku, limits);
        _written = _state;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SkuSnapshot snapshot) _state = snapshot.ToState(limits);
        });
        Recover<SkuEvents.ISkuEvent>(e =>
        {
            _state = _state.Apply(e);
            Recovered();
        });
        Recover<RecoveryCompleted>(_ =>
        {
            _written = SkuState.Empty(sku, limits);
            TellListings(_state);
            // A periodic check rather than a receive timeout, which re-arms a timer on every message (writes included).
            var every = TimeSpan.FromTicks(Math.Max(settings.PassivateAfter.Ticks / 4, TimeSpan.TicksPerMillisecond * 10));
            Timers.StartPeriodicTimer("idle", IdleCheck.Instance, every);
        });

        Command<SkuCommands.ISkuCommand>(c => Handle(c, reply => reply));
        Command<SkuLineRequest>(r =>
        {
            if (r.ToMessage() is SkuCommands.ISkuCommand command) Handle(command, reply => new SkuLineReply(r.Id, reply));
            else ReplyWhenWritten(new SkuLineReply(r.Id, SkuDecider.Reservation(_state, r.OrderId, r.LineId)));
        });
        Command<SkuQueries.GetSku>(_ => ReplyWhenWritten(ViewOf(_state)));
        Command<SkuQueries.GetReservation>(q => ReplyWhenWritten(SkuDecider.Reservation(_state, q.OrderId, q.LineId)));
        Command<ListingSignals.SyncListing>(s => WhenWritten(() =>
        {
            if (_written.Listings.TryGetValue(new ListingKey(s.Channel, s.ListingId), out var listing))
                Child(listing.Key).Tell(new ListingActor.Changed(listing, s.Force));
            else if (s.Force) _gateways().Tell(new ChannelCommands.Forget(s.Channel, s.ListingId));
        }));
        Command<IdleCheck>(_ =>
        {
            var idle = Environment.TickCount64 - _lastAddressed >= (long)settings.PassivateAfter.TotalMilliseconds;
            if (idle && !_written.HasPendingListings)
            {
                Timers.Cancel("idle");
                Context.Parent.Tell(new Passivate(StopEntity.Instance));
            }
        });
        CommandLifecycle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is IWithSku) _lastAddressed = Environment.TickCount64;
        return base.AroundReceive(receive, message);
    }

    public static string PersistenceIdFor(string sku) => "sku-" + sku;

    /// <summary>Without <paramref name="gateways"/>, listing updates go nowhere (entity tests without channels).</summary>
    public static Props Props(
        string sku, SkuSettings settings, TimeProvider clock, Func<IActorRef>? gateways = null) =>
        Akka.Actor.Props.Create(() => new SkuEntity(sku, settings, clock, gateways ?? (() => ActorRefs.Nobody)));

    protected override object Snapshot() => SkuSnapshot.Of(_state);

    protected override int StateSize =>
        _state.Open.Count + _state.Closed.Count + _state.References.Count + _state.Listings.Count;

    private SkuView ViewOf(SkuState s) => new(s.Sku, s.Exists, s.Levels, DecidedSequenceNr,
        s.Listings.Values.OrderBy(x => x.Channel, StringComparer.Ordinal).ThenBy(x => x.ListingId, StringComparer.Ordinal)
            .Select(x => x.ToView()).ToList());

    /// <summary>Decides <paramref name="command"/>; the sender gets <paramref name="answer"/> of the reply once written.</summary>
    private void Handle(SkuCommands.ISkuCommand command, Func<SkuReply, object> answer)
    {
        if (StashedForSnapshot()) return;

        var decision = SkuDecider.Decide(_state, command, _clock.GetUtcNow());
        _state = decision.State;
        if (command is ListingCommands.AcknowledgeListing)
        {
            // The gateway expects no answer: it re-sends until the listing's re-sends stop.
            Write(decision.Events, () => TellListings(decision.State));
            return;
        }
        var sender = Sender;
        Write(decision.Events, () =>
        {
            sender.Tell(answer(decision.Reply));
            TellListings(decision.State);
        });
    }

    /// <summary>Tells each listing child its newly written state; stops the children of unmapped listings.</summary>
    private void TellListings(SkuState written)
    {
        var before = _written;
        _written = written;
        if (ReferenceEquals(before.Listings, written.Listings)) return;
        foreach (var (key, listing) in written.Listings)
        {
            if (before.Listings.TryGetValue(key, out var told) && ReferenceEquals(told, listing)) continue;
            Child(key).Tell(new ListingActor.Changed(listing));
        }
        foreach (var key in before.Listings.Keys.Where(k => !written.Listings.ContainsKey(k)))
        {
            Context.Stop(Child(key));
            _gateways().Tell(new ChannelCommands.Forget(key.Channel, key.ListingId));
        }
    }

    private IActorRef Child(ListingKey key)
    {
        var name = ListingActor.NameFor(key);
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(ListingActor.Props(_state.Sku, _gateways, _settings), name) : child;
    }
}
