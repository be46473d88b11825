using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Cluster.Tests.Channels;

/// <summary>
/// A marketplace for the gateway's tests. It records every call (time by the test's clock, the exact batch), answers
/// each call as scripted (<see cref="Then"/> for the next calls, else <see cref="Script"/>, else applied), and keeps
/// what the marketplace holds per listing with the version actually applied, in the order updates land, so a test can
/// check that an older version never lands after a newer one and that no listing ever has two calls open at once.
/// A call that hangs until it is cancelled can still land later, as a real marketplace's would.
/// </summary>
public sealed class ScriptedMarketplaceClient(TimeProvider clock) : IMarketplaceClient
{
    private readonly object _gate = new();
    private readonly Queue<Reaction> _next = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<Landing> _landings = [];
    private readonly List<string> _violations = [];
    private readonly Dictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refusals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private readonly List<ITimer> _timers = [];
    private int _relists;

    /// <summary>How a call is answered.</summary>
    public abstract record Reaction
    {
        /// <summary>Every update is applied now (or answered per listing: ended, refused).</summary>
        public static readonly Reaction Apply = new Applies(TimeSpan.Zero);

        public static Reaction Slow(TimeSpan latency) => new Applies(latency);

        public static Reaction Throttle(TimeSpan? retryAfter = null) => new Throttles(retryAfter);

        /// <summary>A 503: every update answered as a transient failure, nothing applied.</summary>
        public static readonly Reaction ServerError = new ServerErrors();

        /// <summary>The client throws (a broken connection): nothing applied.</summary>
        public static readonly Reaction Throw = new Throws();

        /// <summary>The call never answers; once cancelled, its updates land <paramref name="afterCancel"/> later.</summary>
        public static Reaction HangThenLandLate(TimeSpan afterCancel) => new HangsThenLands(afterCancel);

        private protected Reaction() { }
    }

    private sealed record Applies(TimeSpan Latency) : Reaction;
    private sealed record Throttles(TimeSpan? RetryAfter) : Reaction;
    private sealed record ServerErrors : Reaction;
    private sealed record Throws : Reaction;
    private sealed record HangsThenLands(TimeSpan AfterCancel) : Reaction;

    public sealed record RecordedCall(int Number, DateTimeOffset At, IReadOnlyList<MarketplaceUpdate> Batch);

    public sealed record Landing(DateTimeOffset At, MarketplaceUpdate Update);

    /// <summary>What the marketplace shows for a listing, and the version of the update that set it.</summary>
    public sealed record Held(long Quantity, ListingStatus Status, long Version, string ListingId, bool Ended);

    /// <summary>Answers calls that <see cref="Then"/> did not script.</summary>
    public Func<RecordedCall, Reaction>? Script { get; set; }

    public IReadOnlyList<RecordedCall> Calls
    {
        get { lock (_gate) return _calls.ToList(); }
    }

    public IReadOnlyList<Landing> Landings
    {
        get { lock (_gate) return _landings.ToList(); }
    }

    /// <summary>Broken rules seen: a second call for a listing with one open, an older version landing after a newer.</summary>
    public IReadOnlyList<string> Violations
    {
        get { lock (_gate) return _violations.ToList(); }
    }

    public Held? Holds(string listingId)
    {
        lock (_gate) return _held.GetValueOrDefault(listingId);
    }

    /// <summary>The next calls are answered with these, in order.</summary>
    public void Then(params Reaction[] reactions)
    {
        lock (_gate) foreach (var reaction in reactions) _next.Enqueue(reaction);
    }

    /// <summary>The marketplace refuses every update of the listing from now on.</summary>
    public void Refuse(string listingId, string message)
    {
        lock (_gate) _refusals[listingId] = message;
    }

    /// <summary>The listing ended on the marketplace (sold out, ended by hand): updates answer Gone until a relist.</summary>
    public void End(string listingId)
    {
        lock (_gate)
        {
            var held = _held.GetValueOrDefault(listingId) ?? new Held(0, ListingStatus.Ended, 0, listingId, true);
            _held[listingId] = held with { Quantity = 0, Status = ListingStatus.Ended, Ended = true };
        }
    }

    public Task<IReadOnlyList<UpdateOutcome>> SendAsync(IReadOnlyList<MarketplaceUpdate> batch, CancellationToken cancellationToken)
    {
        Reaction reaction;
        lock (_gate)
        {
            var call = new RecordedCall(_calls.Count + 1, clock.GetUtcNow(), batch.ToList());
            _calls.Add(call);
            foreach (var update in batch)
            {
                if (!_open.Add(update.ListingId))
                    _violations.Add($"call {call.Number} at {call.At:HH:mm:ss.fff}: {update.ListingId} already had a call open");
            }
            reaction = _next.Count > 0 ? _next.Dequeue() : Script?.Invoke(call) ?? Reaction.Apply;
        }
        switch (reaction)
        {
            case Applies { Latency: var latency } when latency <= TimeSpan.Zero:
                return Task.FromResult(Answer(batch));
            case Applies { Latency: var latency }:
                var answer = new TaskCompletionSource<IReadOnlyList<UpdateOutcome>>();
                After(latency, () => answer.TrySetResult(Answer(batch)));
                return answer.Task;
            case Throttles { RetryAfter: var retryAfter }:
                Close(batch);
                return Task.FromResult<IReadOnlyList<UpdateOutcome>>(batch
                    .Select(u => new UpdateOutcome(u.ListingId, UpdateResult.Throttled, retryAfter, Message: "429 Too Many Requests"))
                    .ToList());
            case ServerErrors:
                Close(batch);
                return Task.FromResult<IReadOnlyList<UpdateOutcome>>(batch
                    .Select(u => new UpdateOutcome(u.ListingId, UpdateResult.TransientFailure, Message: "503 Service Unavailable"))
                    .ToList());
            case Throws:
                Close(batch);
                return Task.FromException<IReadOnlyList<UpdateOutcome>>(new HttpRequestException("Connection reset by peer"));
            case HangsThenLands { AfterCancel: var afterCancel }:
                var hung = new TaskCompletionSource<IReadOnlyList<UpdateOutcome>>();
                cancellationToken.Register(() =>
                {
                    hung.TrySetCanceled(cancellationToken);
                    After(afterCancel, () => Answer(batch));
                });
                return hung.Task;
            default:
                throw new InvalidOperationException($"Unknown reaction {reaction}");
        }
    }

    /// <summary>Applies the batch as the marketplace would, now, and answers it per listing.</summary>
    private IReadOnlyList<UpdateOutcome> Answer(IReadOnlyList<MarketplaceUpdate> batch)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var outcomes = new List<UpdateOutcome>(batch.Count);
            foreach (var update in batch)
            {
                _open.Remove(update.ListingId);
                outcomes.Add(Apply(update, now));
            }
            return outcomes;
        }
    }

    private UpdateOutcome Apply(MarketplaceUpdate update, DateTimeOffset now)
    {
        if (_refusals.TryGetValue(update.ListingId, out var refusal))
            return new UpdateOutcome(update.ListingId, UpdateResult.Rejected, Message: refusal);
        var held = _held.GetValueOrDefault(update.ListingId);
        string? relistedAs = null;
        if (held is { Ended: true })
        {
            if (update.Quantity == 0 || update.KnownStatus != ListingStatus.Ended)
                return new UpdateOutcome(update.ListingId, UpdateResult.Gone, Message: "The listing has ended.");
            relistedAs = $"{update.ListingId}-relist-{++_relists}";
        }
        if (held is not null && update.Version < held.Version)
        {
            _violations.Add($"{now:HH:mm:ss.fff}: {update.ListingId} version {update.Version} landed after version {held.Version}");
        }
        _held[update.ListingId] = new Held(update.Quantity, update.Status, update.Version,
            relistedAs ?? held?.ListingId ?? update.CurrentListingId, update.Status == ListingStatus.Ended);
        _landings.Add(new Landing(now, update));
        return new UpdateOutcome(update.ListingId, UpdateResult.Applied, CurrentListingId: relistedAs);
    }

    private void Close(IReadOnlyList<MarketplaceUpdate> batch)
    {
        lock (_gate) foreach (var update in batch) _open.Remove(update.ListingId);
    }

    private void After(TimeSpan delay, Action action)
    {
        lock (_gate) _timers.Add(clock.CreateTimer(_ => action(), null, delay, Timeout.InfiniteTimeSpan));
    }
}

/// <summary>Hands every channel the same scripted marketplace.</summary>
public sealed class ScriptedClients(ScriptedMarketplaceClient client) : IMarketplaceClientFactory
{
    public IMarketplaceClient Create(ChannelDefinition channel) => client;
}
