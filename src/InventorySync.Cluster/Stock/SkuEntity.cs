using Akka.Actor;
using Akka.Persistence;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Persistence;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Stock;

/// <summary>
/// The single writer of one SKU's stock: decides each command on its in-memory state with the pure
/// <see cref="SkuDecider"/>, and replies only after the decided events are written (see <see cref="GroupCommitEntity"/>).
/// </summary>
public sealed class SkuEntity : GroupCommitEntity
{
    private readonly TimeProvider _clock;
    private SkuState _state;

    public SkuEntity(string sku, SkuSettings settings, TimeProvider clock)
        : base(PersistenceIdFor(sku), settings.SnapshotEvery)
    {
        _clock = clock;
        var limits = new SkuLimits(settings.ClosedReservationWindow, settings.ReferenceWindow);
        _state = SkuState.Empty(sku, limits);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SkuSnapshot snapshot) _state = snapshot.ToState(limits);
        });
        Recover<SkuEvents.ISkuEvent>(e =>
        {
            _state = _state.Apply(e);
            Recovered();
        });

        Command<SkuCommands.ISkuCommand>(Handle);
        Command<SkuQueries.GetSku>(_ =>
            ReplyWhenWritten(new SkuView(_state.Sku, _state.Exists, _state.Levels, DecidedSequenceNr)));
        Command<SkuQueries.GetReservation>(q =>
        {
            var line = _state.Find(new ReservationKey(q.OrderId, q.LineId));
            ReplyWhenWritten(line is null
                ? new SkuReply(_state.Sku, SkuResultCode.NotFound,
                    $"SKU {_state.Sku} holds no line {q.OrderId}/{q.LineId}.", _state.Levels, null)
                : new SkuReply(_state.Sku, SkuResultCode.Ok, null, _state.Levels, line));
        });
        CommandLifecycle();
    }

    public static string PersistenceIdFor(string sku) => "sku-" + sku;

    public static Props Props(string sku, SkuSettings settings, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new SkuEntity(sku, settings, clock));

    protected override object Snapshot() => SkuSnapshot.Of(_state);

    protected override int StateSize => _state.Open.Count + _state.Closed.Count + _state.References.Count;

    private void Handle(SkuCommands.ISkuCommand command)
    {
        if (StashedForSnapshot()) return;

        var decision = SkuDecider.Decide(_state, command, _clock.GetUtcNow());
        _state = decision.State;
        var sender = Sender;
        Write(decision.Events, () => sender.Tell(decision.Reply));
    }
}
