using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql.Journal;
using Akka.Serialization;
using Akka.Util;
using Npgsql;
using NpgsqlTypes;

namespace InventorySync.Cluster.Persistence;

/// <summary>
/// Akka.Persistence.Sql's journal with a lean write path for PostgreSQL. Replay, highest sequence numbers, deletes,
/// queries and snapshots stay the plugin's, on the plugin's own tables; only writes differ. Every write of every actor
/// joins one queue, and one writer commits what has queued as a single parameterised multi-row insert (group commit
/// across actors), then answers each actor in queue order with the journal protocol's own messages
/// (<see cref="WriteMessagesSuccessful"/>, then one <see cref="WriteMessageSuccess"/> per event, exactly as
/// <see cref="AsyncWriteJournal"/> does). Measured on 2 cores: the plugin's insert (Linq2Db, every payload inlined as a
/// literal) took ~140 µs of the node's ~200 µs per order; the base class's per-write circuit-breaker timer, task
/// continuations and resequencing actor took most of what remained of the journal's share.
/// </summary>
public sealed class PostgresJournal : SqlWriteJournal
{
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly string _writerUuid = Guid.NewGuid().ToString("N");
    private readonly JournalWriter _writer;

    public PostgresJournal(Config journalConfig) : base(journalConfig)
    {
        _serialization = Context.System.Serialization;
        var timeout = journalConfig.GetTimeSpan("call-timeout", TimeSpan.FromSeconds(10), allowInfinite: false);
        _writer = new JournalWriter(journalConfig.GetString("connection-string"),
            journalConfig.GetInt("inventory-max-rows-per-commit", 1_000), timeout);
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is not WriteMessages write) return base.AroundReceive(receive, message);
        _writer.Enqueue(Prepare(write));
        return true;
    }

    /// <summary>A recovering actor must see the writes still on their way for it: it reads after everything queued.</summary>
    public override async Task<long> ReadHighestSequenceNrAsync(
        string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        await _writer.Drained();
        return await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
    }

    protected override void PostStop()
    {
        _writer.Dispose();
        base.PostStop();
    }

    /// <summary>Serializes each atomic write; one whose payload cannot be serialized is rejected on its own.</summary>
    private JournalWrite Prepare(WriteMessages write)
    {
        var rows = new List<JournalRow>();
        List<Exception?>? rejections = null;
        var index = 0;
        try
        {
            var created = DateTime.UtcNow.Ticks;
            foreach (var atomic in PreparePersistentBatch(write.Messages))
            {
                var start = rows.Count;
                Exception? rejected = null;
                try
                {
                    foreach (var p in (IImmutableList<IPersistentRepresentation>)atomic.Payload) rows.Add(ToRow(p, created));
                }
                catch (Exception e)
                {
                    rows.RemoveRange(start, rows.Count - start);
                    rejected = e;
                }
                // Made at the first rejection only (with a null for each write before it): most batches have none.
                if (rejected is not null) rejections ??= [..new Exception?[index]];
                rejections?.Add(rejected);
                index++;
            }
        }
        catch (Exception e)
        {
            // An event adapter that throws rejects the whole batch, as in AsyncWriteJournal.
            rows.Clear();
            rejections = [..Enumerable.Repeat<Exception?>(e, write.Messages.Count(m => m is AtomicWrite))];
        }
        return new JournalWrite(write, rows, rejections, Self);
    }

    /// <summary>The same row the plugin writes: payload bytes, its manifest and serializer id, tags apart.</summary>
    private JournalRow ToRow(IPersistentRepresentation p, long created)
    {
        var (payload, tags) = p.Payload is Tagged tagged ? (tagged.Payload, tagged.Tags) : (p.Payload, ImmutableHashSet<string>.Empty);
        var serializer = _serialization.FindSerializerFor(payload);
        return Akka.Serialization.Serialization.WithTransport(_serialization.System, () => new JournalRow(
            p.Timestamp == 0 ? created : p.Timestamp,
            p.PersistenceId,
            p.SequenceNr,
            serializer.ToBinary(payload),
            serializer switch
            {
                SerializerWithStringManifest s => s.Manifest(payload),
                { IncludeManifest: true } => payload.GetType().TypeQualifiedName(),
                _ => string.Empty,
            },
            serializer.Identifier,
            _writerUuid,
            tags.Count == 0 ? [] : tags.ToArray()));
    }
}

internal sealed record JournalRow(
    long Created, string PersistenceId, long SequenceNr, byte[] Message, string Manifest, int Identifier,
    string WriterUuid, string[] Tags);

/// <summary>Something the writer commits (possibly nothing) and then completes, in queue order.</summary>
internal interface IQueuedWrite
{
    IReadOnlyList<JournalRow> Rows { get; }
    void Complete(Exception? failure);
}

/// <summary>One actor's <see cref="WriteMessages"/>: its rows, and the answers it gets once they are committed.</summary>
internal sealed class JournalWrite(
    WriteMessages write, IReadOnlyList<JournalRow> rows, IReadOnlyList<Exception?>? rejections, IActorRef journal)
    : IQueuedWrite
{
    public IReadOnlyList<JournalRow> Rows => rows;

    /// <summary>The answers <see cref="AsyncWriteJournal"/> gives, in its order, with the senders it uses.</summary>
    public void Complete(Exception? failure)
    {
        var actor = write.PersistentActor;
        var instance = write.ActorInstanceId;
        if (failure is null) actor.Tell(WriteMessagesSuccessful.Instance, journal);
        else actor.Tell(new WriteMessagesFailed(failure, write.Messages.Count(m => m is AtomicWrite)), journal);
        var index = 0;
        foreach (var envelope in write.Messages)
        {
            if (envelope is not AtomicWrite atomic)
            {
                actor.Tell(new LoopMessageSuccess(envelope.Payload, instance), envelope.Sender);
                continue;
            }
            var rejected = rejections?[index];
            index++;
            foreach (var p in (IImmutableList<IPersistentRepresentation>)atomic.Payload)
            {
                object answer = failure is not null ? new WriteMessageFailure(p, failure, instance)
                    : rejected is not null ? new WriteMessageRejected(p, rejected, instance)
                    : new WriteMessageSuccess(p, instance);
                actor.Tell(answer, p.Sender);
            }
        }
    }
}

/// <summary>Completes once every write queued before it is committed (or has failed).</summary>
internal sealed class DrainMarker : IQueuedWrite
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<JournalRow> Rows => [];
    public Task Task => _done.Task;
    public void Complete(Exception? failure) => _done.TrySetResult();
}

/// <summary>One writer, one transaction at a time, each holding everything queued since the last one.</summary>
internal sealed class JournalWriter : IDisposable
{
    /// <summary>Scraped with the node's other metrics: how long commits take, and how much each one carries.</summary>
    private static readonly Meter Meter = new("InventorySync.Journal");
    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "commit.duration", "s", "Time one group commit of the journal took (a round trip to PostgreSQL).");
    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>(
        "queue.wait", "s", "Time the oldest write of a commit waited in the queue before its commit began.");
    private static readonly Histogram<long> CommitRows = Meter.CreateHistogram<long>(
        "commit.rows", "{event}", "Events written by one group commit.");

    private const string InsertEvents = """
        INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid)
        SELECT c, false, p, s, m, mf, i, w
        FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bytea[], $5::text[], $6::integer[], $7::text[])
             AS r(c, p, s, m, mf, i, w)
        """;

    private const string InsertTags = """
        INSERT INTO tags (ordering_id, tag, sequence_nr, persistence_id)
        SELECT j.ordering, t.tag, t.s, t.p
        FROM unnest($1::text[], $2::bigint[], $3::text[]) AS t(p, s, tag)
        JOIN journal j ON j.persistence_id = t.p AND j.sequence_number = t.s
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxRows;
    private readonly int _timeoutSeconds;
    private readonly Channel<(IQueuedWrite Write, long Enqueued)> _queue = Channel.CreateUnbounded<(IQueuedWrite, long)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NpgsqlConnection? _connection;
    private long _outstanding;

    public JournalWriter(string connectionString, int maxRows, TimeSpan timeout)
    {
        // Statements run five times are prepared, unless the connection string says otherwise.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 8;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _maxRows = Math.Max(1, maxRows);
        _timeoutSeconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        // Its own thread, blocking on the database: woken by the socket as PostgreSQL answers, so a commit's
        // completion does not wait in the thread pool's queue behind the HTTP and actor work it is holding up.
        new Thread(Run) { IsBackground = true, Name = "journal-writer" }.Start();
    }

    public void Enqueue(IQueuedWrite write)
    {
        Interlocked.Increment(ref _outstanding);
        if (_queue.Writer.TryWrite((write, Stopwatch.GetTimestamp()))) return;
        Interlocked.Decrement(ref _outstanding);
        write.Complete(new InvalidOperationException("The journal is stopping."));
    }

    /// <summary>Completes once everything queued so far is committed (at once when nothing is queued).</summary>
    public Task Drained()
    {
        if (Interlocked.Read(ref _outstanding) == 0) return Task.CompletedTask;
        var marker = new DrainMarker();
        Enqueue(marker);
        return marker.Task;
    }

    private void Run()
    {
        try
        {
            CommitAll();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>Blocks the writer's thread until a write is queued; false once the queue is completed and empty.</summary>
    private bool WaitToRead()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void CommitAll()
    {
        var batch = new List<IQueuedWrite>();
        var rows = new List<JournalRow>();
        while (WaitToRead())
        {
            batch.Clear();
            rows.Clear();
            var oldest = 0L;
            while (rows.Count < _maxRows && _queue.Reader.TryRead(out var next))
            {
                if (batch.Count == 0) oldest = next.Enqueued;
                batch.Add(next.Write);
                rows.AddRange(next.Write.Rows);
            }
            Exception? failure = null;
            try
            {
                if (rows.Count > 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    QueueWait.Record(Stopwatch.GetElapsedTime(oldest, started).TotalSeconds);
                    Commit(rows);
                    CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                    CommitRows.Record(rows.Count);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
            foreach (var write in batch) write.Complete(failure);
            Interlocked.Add(ref _outstanding, -batch.Count);
        }
    }

    /// <summary>
    /// Writes the rows (and their tags) in one round trip: a batch without an explicit transaction runs as one implicit
    /// transaction, committed when it answers. The writer keeps its own connection, and the statements are prepared.
    /// </summary>
    private void Commit(List<JournalRow> rows)
    {
        try
        {
            _connection ??= _dataSource.OpenConnection();
            using var batch = new NpgsqlBatch(_connection) { Timeout = _timeoutSeconds };
            var insert = new NpgsqlBatchCommand(InsertEvents);
            insert.Parameters.Add(Array(NpgsqlDbType.Bigint, rows, r => r.Created));
            insert.Parameters.Add(Array(NpgsqlDbType.Text, rows, r => r.PersistenceId));
            insert.Parameters.Add(Array(NpgsqlDbType.Bigint, rows, r => r.SequenceNr));
            insert.Parameters.Add(Array(NpgsqlDbType.Bytea, rows, r => r.Message));
            insert.Parameters.Add(Array(NpgsqlDbType.Text, rows, r => r.Manifest));
            insert.Parameters.Add(Array(NpgsqlDbType.Integer, rows, r => r.Identifier));
            insert.Parameters.Add(Array(NpgsqlDbType.Text, rows, r => r.WriterUuid));
            batch.BatchCommands.Add(insert);
            if (rows.Exists(r => r.Tags.Length > 0))
            {
                var tagged = rows.SelectMany(r => r.Tags.Select(tag => (r.PersistenceId, r.SequenceNr, Tag: tag))).ToList();
                var tags = new NpgsqlBatchCommand(InsertTags);
                tags.Parameters.Add(Array(NpgsqlDbType.Text, tagged, t => t.PersistenceId));
                tags.Parameters.Add(Array(NpgsqlDbType.Bigint, tagged, t => t.SequenceNr));
                tags.Parameters.Add(Array(NpgsqlDbType.Text, tagged, t => t.Tag));
                batch.BatchCommands.Add(tags);
            }
            batch.ExecuteNonQuery();
        }
        catch
        {
            // The next commit starts on a fresh connection.
            _connection?.Dispose();
            _connection = null;
            throw;
        }
    }

    private static NpgsqlParameter Array<TRow, T>(NpgsqlDbType type, List<TRow> rows, Func<TRow, T> column)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++) values[i] = column(rows[i]);
        return new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values };
    }

    /// <summary>Takes no new writes; what is queued is still committed and answered, then the connections close.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stopped.Task.ContinueWith(_ =>
        {
            _connection?.Dispose();
            _dataSource.Dispose();
        }, TaskScheduler.Default);
    }
}
