using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace InventorySync.Cluster.Persistence;

/// <summary>Sent by sharding to an entity on hand-off and passivation.</summary>
public sealed class StopEntity
{
    public static readonly StopEntity Instance = new();
    private StopEntity() { }
}

/// <summary>
/// The write discipline of every persistent entity here: apply on decision, write with PersistAsync (group commit),
/// act on the outcome only after the write; answers that depend on unwritten events wait for them; stop on a failed
/// write and recover; hand-off and passivation wait for pending writes; snapshot every N events of exactly the written
/// state (pausing intake briefly if writes never settle on their own) and delete older snapshots.
/// </summary>
public abstract class GroupCommitEntity : ReceivePersistentActor
{
    private readonly int _snapshotEvery;
    private long _decided;
    private long _written;
    private readonly Queue<(long Until, Action Action)> _waiting = new();
    private long _eventsSinceSnapshot;
    private bool _stopping;
    private bool _draining;
    private bool _savingSnapshot;

    protected GroupCommitEntity(string persistenceId, int snapshotEvery)
    {
        PersistenceId = persistenceId;
        _snapshotEvery = Math.Max(1, snapshotEvery);
        // Entities fed at the same rate (the ledger's partitions) would otherwise all snapshot at the same moment, a
        // burst that stalled every order for hundreds of milliseconds: each starts up to half an interval along.
        _eventsSinceSnapshot = (uint)persistenceId.GetHashCode() % (uint)Math.Max(1, _snapshotEvery / 2);
    }

    public override string PersistenceId { get; }

    /// <summary>Events decided (and applied) but not yet written.</summary>
    private long PendingWrites => _decided - _written;

    /// <summary>Sequence number of the newest decided event, written or not.</summary>
    protected long DecidedSequenceNr => LastSequenceNr + PendingWrites;

    /// <summary>The state as it is now, when every decided event is written.</summary>
    protected abstract object Snapshot();

    /// <summary>
    /// How many entries the state holds. A snapshot is taken after max(N, size / 2) events, so its cost stays constant
    /// per event however large the state grows, and recovery replays at most that many events.
    /// </summary>
    protected abstract int StateSize { get; }

    private long SnapshotThreshold => Math.Max(_snapshotEvery, StateSize / 2);

    /// <summary>Called for every event replayed during recovery (after applying it).</summary>
    protected void Recovered() => _eventsSinceSnapshot++;

    /// <summary>True when intake is paused for a snapshot: the caller must not decide now (the message is stashed).</summary>
    protected bool StashedForSnapshot()
    {
        if (!_draining) return false;
        Stash.Stash();
        return true;
    }

    /// <summary>Writes already-applied events; <paramref name="onWritten"/> runs once all of them are in the journal.</summary>
    protected void Write<TEvent>(IReadOnlyList<TEvent> events, Action onWritten) where TEvent : class
    {
        if (events.Count == 0)
        {
            WhenWritten(onWritten);
            return;
        }
        _decided += events.Count;
        var remaining = events.Count;
        PersistAllAsync(events, _ =>
        {
            _written++;
            _eventsSinceSnapshot++;
            if (--remaining == 0) onWritten();
            while (_waiting.Count > 0 && _waiting.Peek().Until <= _written) _waiting.Dequeue().Action();
            if (PendingWrites == 0) Settle();
        });
        // Pausing intake only helps when it lets a snapshot be taken: not while one is still being saved.
        if (!_savingSnapshot && _eventsSinceSnapshot + PendingWrites >= 2L * SnapshotThreshold) _draining = true;
    }

    /// <summary>
    /// Runs <paramref name="action"/> now when nothing is pending, else once every write decided so far has landed.
    /// (Not DeferAsync: a journal batch holding only deferred messages makes Akka.Persistence.Sql 1.5.73 throw, and
    /// ten such failures open the journal's circuit breaker.)
    /// </summary>
    protected void WhenWritten(Action action)
    {
        if (PendingWrites == 0) action();
        else _waiting.Enqueue((_decided, action));
    }

    /// <summary>Replies to the current sender once every write decided so far has landed.</summary>
    protected void ReplyWhenWritten(object reply)
    {
        var sender = Sender;
        WhenWritten(() => sender.Tell(reply));
    }

    /// <summary>Registers the lifecycle messages; call last in the constructor.</summary>
    protected void CommandLifecycle()
    {
        Command<StopEntity>(_ =>
        {
            _stopping = true;
            if (PendingWrites == 0) Context.Stop(Self);
        });
        Command<SaveSnapshotSuccess>(s =>
        {
            _savingSnapshot = false;
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
            if (PendingWrites == 0) SnapshotIfDue();
        });
        Command<SaveSnapshotFailure>(f =>
        {
            _savingSnapshot = false;
            Log.Warning(f.Cause, "Snapshot of {PersistenceId} at {SequenceNr} failed", PersistenceId, f.Metadata.SequenceNr);
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f =>
            Log.Warning(f.Cause, "Deleting old snapshots of {PersistenceId} failed", PersistenceId));
    }

    /// <summary>
    /// One snapshot save at a time: the store runs saves concurrently, so an older one still in flight could land
    /// after a newer one had deleted everything before it, and stay. A snapshot that falls due meanwhile is taken once
    /// the save in flight has answered and the writes have settled.
    /// </summary>
    private void SnapshotIfDue()
    {
        if (_savingSnapshot || _eventsSinceSnapshot < SnapshotThreshold) return;
        SaveSnapshot(Snapshot());
        _savingSnapshot = true;
        _eventsSinceSnapshot = 0;
    }

    private void Settle()
    {
        SnapshotIfDue();
        if (_draining)
        {
            _draining = false;
            Stash.UnstashAll();
            if (_stopping) Self.Tell(StopEntity.Instance);
            return;
        }
        if (_stopping) Context.Stop(Self);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Log.Error(cause, "Journal rejected {EventType} #{SequenceNr} of {PersistenceId}; stopping to recover",
            @event.GetType().Name, sequenceNr, PersistenceId);
        Context.Stop(Self);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Log.Error(cause, "Writing {EventType} #{SequenceNr} of {PersistenceId} failed; stopping to recover",
            @event.GetType().Name, sequenceNr, PersistenceId);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
