using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Persistence;
using InventorySync.Cluster.Tests.Support;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Tests.Persistence;

/// <summary>
/// The PostgreSQL journal's own write path, spoken to in the journal protocol on a real server: the answers a
/// persistent actor gets, their order and senders, rejections, failed commits and recovery during writes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private TestNode _node = null!;
    private Akka.TestKit.Xunit2.TestKit _kit = null!;
    private IActorRef _journal = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(await postgres.NewStore());
        _kit = new Akka.TestKit.Xunit2.TestKit(_node.System);
        _journal = Akka.Persistence.Persistence.Instance.Apply(_node.System).JournalFor(null);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public void Writes_are_answered_in_the_journal_protocol_order_and_an_unwritable_event_is_rejected_alone()
    {
        var actor = _kit.CreateTestProbe();
        var commandSender = _kit.CreateTestProbe();
        var first = Event("a", 1, commandSender.Ref);
        var unwritable = new Persistent(new Unwritable(), 1, "b", sender: commandSender.Ref);
        var second = Event("a", 2, commandSender.Ref);

        _journal.Tell(new WriteMessages(
            [
                new AtomicWrite(first),
                new AtomicWrite(unwritable),
                new AtomicWrite(second),
            ], actor.Ref, 7));

        actor.ExpectMsg<WriteMessagesSuccessful>(Wait);
        Assert.Equal(_journal, actor.LastSender);
        var written = actor.ExpectMsg<WriteMessageSuccess>(Wait);
        Assert.Equal((first, 7), (written.Persistent, written.ActorInstanceId));
        Assert.Equal(commandSender.Ref, actor.LastSender);
        var rejected = actor.ExpectMsg<WriteMessageRejected>(Wait);
        Assert.Equal(unwritable, rejected.Persistent);
        Assert.Contains("cannot be written", rejected.Cause.ToString());
        Assert.Equal(second, actor.ExpectMsg<WriteMessageSuccess>(Wait).Persistent);

        var (events, highest) = Replay("a", actor);
        Assert.Equal([1L, 2L], events.Select(p => p.SequenceNr));
        Assert.Equal(2, highest);
        Assert.Equal(0, Replay("b", actor).Highest);
    }

    [Fact]
    public void A_commit_that_fails_fails_every_write_it_held_and_writes_nothing()
    {
        var actor = _kit.CreateTestProbe();
        _journal.Tell(new WriteMessages([new AtomicWrite(Event("c", 1, ActorRefs.NoSender))], actor.Ref, 1));
        actor.ExpectMsg<WriteMessagesSuccessful>(Wait);
        actor.ExpectMsg<WriteMessageSuccess>(Wait);

        // Sequence number 1 of "c" exists: the database refuses the row, so the whole commit fails.
        var duplicate = Event("c", 1, ActorRefs.NoSender);
        var next = Event("c", 2, ActorRefs.NoSender);
        _journal.Tell(new WriteMessages([new AtomicWrite([duplicate, next])], actor.Ref, 1));

        Assert.Equal(1, actor.ExpectMsg<WriteMessagesFailed>(Wait).WriteCount);
        Assert.Equal(duplicate, actor.ExpectMsg<WriteMessageFailure>(Wait).Persistent);
        Assert.Equal(next, actor.ExpectMsg<WriteMessageFailure>(Wait).Persistent);
        Assert.Equal(1, Replay("c", actor).Highest);
    }

    [Fact]
    public void Recovery_reads_after_the_writes_already_queued()
    {
        var writer = _kit.CreateTestProbe();
        var recovering = _kit.CreateTestProbe();
        var events = Enumerable.Range(1, 50).Select(i => Event("d", i, ActorRefs.NoSender)).ToList();

        // The replay is queued right behind the write: it must see all of it (it reads the highest sequence number
        // only once the write is committed).
        _journal.Tell(new WriteMessages([new AtomicWrite(events.ToImmutableList<IPersistentRepresentation>())], writer.Ref, 1));
        var (replayed, highest) = Replay("d", recovering);

        Assert.Equal((50, 50L), (replayed.Count, highest));
    }

    [Fact]
    public void Each_commit_reports_its_rows_duration_and_queue_wait()
    {
        var measured = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "InventorySync.Journal") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => measured.Enqueue((i.Name, value)));
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => measured.Enqueue((i.Name, value)));
        listener.Start();

        var writer = _kit.CreateTestProbe();
        var events = Enumerable.Range(1, 37).Select(i => Event("m", i, ActorRefs.NoSender)).ToList();
        _journal.Tell(new WriteMessages([new AtomicWrite(events.ToImmutableList<IPersistentRepresentation>())], writer.Ref, 1));
        writer.ExpectMsg<WriteMessagesSuccessful>(Wait);

        // Other tests' nodes write meanwhile: this commit is the one of exactly 37 rows.
        Assert.Contains(("commit.rows", 37.0), measured);
        Assert.Contains(measured, m => m.Instrument == "commit.duration" && m.Value > 0);
        Assert.Contains(measured, m => m.Instrument == "queue.wait" && m.Value >= 0);
    }

    private static Persistent Event(string persistenceId, long sequenceNr, IActorRef? sender) =>
        new(new SkuEvents.StockAdjusted(persistenceId, sequenceNr, $"ref-{sequenceNr}", "test", [],
            new StockLevels(sequenceNr, 0, 0), DateTimeOffset.UnixEpoch), sequenceNr, persistenceId, sender: sender);

    /// <summary>Replays every event of <paramref name="persistenceId"/> through <paramref name="to"/>.</summary>
    private (List<IPersistentRepresentation> Events, long Highest) Replay(string persistenceId, Akka.TestKit.TestProbe to)
    {
        _journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, persistenceId, to.Ref));
        var replayed = new List<IPersistentRepresentation>();
        while (true)
        {
            switch (to.FishForMessage(m => m is ReplayedMessage or RecoverySuccess, Wait))
            {
                case ReplayedMessage r: replayed.Add(r.Persistent); break;
                case RecoverySuccess done: return (replayed, done.HighestSequenceNr);
            }
        }
    }

    /// <summary>An event whose serializer cannot read it.</summary>
    private sealed class Unwritable
    {
        public int Value => throw new InvalidOperationException("this event cannot be written");
    }
}
