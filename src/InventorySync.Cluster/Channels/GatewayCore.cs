using System.Diagnostics.CodeAnalysis;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;
using static InventorySync.Cluster.Channels.ChannelCommands;

namespace InventorySync.Cluster.Channels;

/// <summary>One marketplace call the core decided to make: at most the channel's batch size, one update per listing.</summary>
public sealed record GatewayBatch(long CallId, IReadOnlyList<MarketplaceUpdate> Updates, DateTimeOffset StartedAt, TimeSpan Timeout);

/// <summary>
/// The rules of one channel gateway, without actors and driven by explicit times so that every rule can be tested by
/// moving a clock: per listing it keeps the newest desired state and what the marketplace is known to show, and it
/// decides which updates go out in which call and when.
/// <list type="bullet">
/// <item>Coalescing: a newer desired state replaces a queued older one; older versions are never sent after newer ones,
/// not even forced ones, nor by a later incarnation (see <see cref="RestoreSent"/>).</item>
/// <item>Suppression: a value the marketplace already shows is acknowledged without a call (unless forced).</item>
/// <item>At most one call in flight per listing; one that timed out stays in flight until
/// <see cref="ChannelDefinition.CallTimeout"/> + <see cref="ChannelDefinition.LandingGrace"/> after it started.</item>
/// <item>A token bucket (starting empty) spends one token per call; batches fill up to
/// <see cref="ChannelDefinition.BatchSize"/> or go when the oldest ready update has waited
/// <see cref="ChannelDefinition.BatchLinger"/>; the riskiest updates (going to 0) go first.</item>
/// <item>Throttling stops the whole channel until Retry-After (or an exponential back-off with jitter); other
/// failures back off per listing.</item>
/// </list>
/// Acknowledgements for the SKUs accumulate until <see cref="TakeAcknowledgements"/>.
/// </summary>
public sealed class GatewayCore
{
    /// <summary>First per-listing retry delay after a failure; doubles per consecutive failure (with jitter).</summary>
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>First channel-wide wait after a throttle without Retry-After; doubles per consecutive throttle.</summary>
    public static readonly TimeSpan ThrottleBaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>No back-off grows beyond this.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    private const string NoMessage = "The marketplace refused the update without a message.";

    private readonly ChannelDefinition _channel;
    private readonly Random _jitter;
    private readonly TokenBucket _bucket;
    private readonly Dictionary<string, ListingTrack> _listings = new(StringComparer.Ordinal);
    private readonly HashSet<ListingTrack> _queued = [];
    private readonly HashSet<ListingTrack> _inFlight = [];
    private readonly List<ListingCommands.AcknowledgeListing> _acknowledgements = [];
    // Scratch lists reused on every call of the hot path (NextBatchDue, Advance), so asking allocates nothing.
    private readonly List<DateTimeOffset> _laterReadyAt = [];
    private readonly List<ListingTrack> _flightsDue = [];
    private DateTimeOffset _now;
    private DateTimeOffset _throttledUntil;
    private int _consecutiveThrottles;
    /// <summary>Call ids count from 1, so the newest one is also the number of calls made.</summary>
    private long _lastCallId;
    private long _applied, _coalesced, _suppressed, _throttled, _failures, _rejected;

    public GatewayCore(ChannelDefinition channel, DateTimeOffset startedAt, Random jitter)
    {
        if (channel.BatchSize < 1)
            throw new ArgumentException($"Channel {channel}: the batch size must be at least 1 (got {channel.BatchSize}).", nameof(channel));
        if (channel.CallTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Channel {channel}: the call timeout must be positive (got {channel.CallTimeout}).", nameof(channel));
        if (channel.LandingGrace < TimeSpan.Zero || channel.BatchLinger < TimeSpan.Zero)
            throw new ArgumentException($"Channel {channel}: the landing grace and batch linger cannot be negative.", nameof(channel));
        _channel = channel;
        _jitter = jitter;
        _bucket = new TokenBucket(channel.RatePerSecond, channel.Burst, startedAt);
        _now = startedAt;
    }

    public bool Paused { get; private set; }

    /// <summary>Listings with a call in flight, including timed-out calls that may still land.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Takes in a listing's desired state (see the class summary for what happens to it).</summary>
    public void Enqueue(Publish publish, DateTimeOffset now)
    {
        Advance(now);
        if (!_listings.TryGetValue(publish.ListingId, out var listing))
        {
            listing = new ListingTrack(publish.ListingId, publish.Sku);
            _listings.Add(publish.ListingId, listing);
            // What the listing last had acknowledged tells the adapter whether a relist may be needed. It is not taken
            // for what the marketplace shows (no suppression on it): a newer value may have been applied since, its
            // acknowledgement lost with the gateway's previous incarnation.
            if (publish.PublishedStatus is { } status) listing.SeededStatus = status;
        }
        listing.Forgotten = false;
        // Versions are a SKU's revisions: a listing mapped to another SKU starts a new history.
        if (listing.Sku != publish.Sku) StartOver(listing, publish.Sku);
        listing.PublishedListingId = publish.CurrentListingId;

        if (listing.LastApplied is { } applied &&
            (publish.Version < applied.Version || publish.Version == applied.Version && !publish.Force))
        {
            Acknowledge(listing, listing.Sku, applied.Version, true, applied.Shown.Quantity, applied.Shown.Status, null, null);
            return;
        }
        if (!publish.Force && listing.Rejection is { } rejection && publish.Version <= rejection.Update.Version)
        {
            var refused = rejection.Update;
            Acknowledge(listing, refused.Sku, refused.Version, false, refused.Quantity, refused.Status, null, rejection.Message);
            return;
        }
        // Older than a version already sent (by this incarnation or, restored, by an earlier one): the marketplace may
        // show the newer one, acknowledged or not, so this one can only be a publish overtaken on its way. Its SKU has
        // the newer version and re-sends it until it is acknowledged.
        if (publish.Version < listing.SentVersion) return;
        if (listing.Queued is { } queued && !Supersedes(publish, queued))
        {
            if (publish.Force && publish.Version == queued.Version) listing.Queued = queued with { Force = true };
            return;
        }
        if (listing.InFlight is { } flight && !Supersedes(publish, flight.Update)) return;

        if (listing.Queued is not null) _coalesced++;
        var desired = new Desired(publish.Sku, publish.Version, publish.Quantity, publish.Status,
            publish.Force || listing.Queued is { Force: true }, listing.Queued?.QueuedAt ?? _now);
        listing.Newest = desired;
        Queue(listing, desired);
        SuppressIfAlreadyShown(listing);
    }

    /// <summary>The listing was unmapped: drops what is queued for it; a call in flight still counts until it ends.</summary>
    public void Forget(string listingId)
    {
        if (!_listings.TryGetValue(listingId, out var listing)) return;
        Unqueue(listing);
        if (listing.InFlight is null) _listings.Remove(listingId);
        else listing.Forgotten = true;
    }

    /// <summary>
    /// A version the marketplace was known to show when the gateway last ran (its acknowledgement was written before it
    /// was sent): a publish of that version or an older one is acknowledged again, never sent, so an update still on its
    /// way from before a move cannot overwrite a newer one. What the marketplace shows now is not assumed from it.
    /// </summary>
    public void Restore(string listingId, string sku, long version, long quantity, ListingStatus status)
    {
        if (!_listings.TryGetValue(listingId, out var listing))
        {
            listing = new ListingTrack(listingId, sku);
            _listings.Add(listingId, listing);
        }
        if (listing.Sku != sku) return;
        RecordApplied(listing, version, new Shown(quantity, status));
        listing.SeededStatus = status;
    }

    /// <summary>
    /// The newest version an earlier incarnation sent the marketplace (written before its call went out): it may show
    /// it even though no acknowledgement was written (a call that failed or timed out after applying), so no older
    /// version is sent after it, forced or not. Sending this version again stays allowed: it may not have landed.
    /// </summary>
    public void RestoreSent(string listingId, string sku, long version)
    {
        if (!_listings.TryGetValue(listingId, out var listing))
        {
            listing = new ListingTrack(listingId, sku);
            _listings.Add(listingId, listing);
        }
        if (listing.Sku == sku && version > listing.SentVersion) listing.SentVersion = version;
    }

    public void Pause() => Paused = true;

    public void Resume() => Paused = false;

    /// <summary>Re-sends every listing's newest desired state, bypassing suppression (one in flight is being sent already).</summary>
    public void Resync(DateTimeOffset now)
    {
        Advance(now);
        foreach (var listing in _listings.Values)
        {
            if (listing.Forgotten) continue;
            if (listing.Queued is { } queued) listing.Queued = queued with { Force = true };
            else if (listing.InFlight is null && listing.Newest is { } newest) Queue(listing, newest with { Force = true, QueuedAt = _now });
        }
    }

    /// <summary>
    /// The next call to make at <paramref name="now"/>, or null when none is due (paused, throttled, lingering, no
    /// token). The batch's listings are in flight from now on.
    /// </summary>
    public GatewayBatch? NextBatch(DateTimeOffset now)
    {
        Advance(now);
        if (Paused || _now < _throttledUntil) return null;
        // One pass without allocating decides whether a call is due; the ready listings are only listed once it is.
        var readyCount = 0;
        var oldestQueuedAt = DateTimeOffset.MaxValue;
        foreach (var listing in _queued)
        {
            if (!IsReady(listing)) continue;
            readyCount++;
            if (listing.Queued!.QueuedAt < oldestQueuedAt) oldestQueuedAt = listing.Queued.QueuedAt;
        }
        if (readyCount == 0) return null;
        if (readyCount < _channel.BatchSize && oldestQueuedAt + _channel.BatchLinger > _now) return null;
        if (!_bucket.TryTake(_now)) return null;

        var callId = ++_lastCallId;
        // A backlog beyond what a minute of calls clears goes by the marketplace's bulk path, when it has one.
        var bulk = _channel.BulkBatchSize > _channel.BatchSize && readyCount > _channel.MinuteOfCalls;
        var timeout = bulk ? _channel.BulkCallTimeout : _channel.CallTimeout;
        var ready = new List<(UpdateRisk Risk, ListingTrack Listing)>(readyCount);
        foreach (var listing in _queued)
        {
            if (IsReady(listing)) ready.Add((RiskOf(listing), listing));
        }
        // Riskiest first, then longest waiting; listing ids are unique, so the order is total.
        ready.Sort(static (a, b) =>
        {
            var byRisk = a.Risk.CompareTo(b.Risk);
            if (byRisk != 0) return byRisk;
            var byAge = a.Listing.Queued!.QueuedAt.CompareTo(b.Listing.Queued!.QueuedAt);
            return byAge != 0 ? byAge : string.CompareOrdinal(a.Listing.ListingId, b.Listing.ListingId);
        });
        var size = Math.Min(ready.Count, bulk ? _channel.BulkBatchSize : _channel.BatchSize);
        var updates = new List<MarketplaceUpdate>(size);
        for (var i = 0; i < size; i++)
        {
            var listing = ready[i].Listing;
            var desired = listing.Queued!;
            Unqueue(listing);
            StartFlight(listing, new Flight(callId, desired, _now, timeout, null));
            updates.Add(new MarketplaceUpdate(listing.ListingId, listing.CurrentListingId, desired.Sku, desired.Quantity,
                desired.Status, desired.Version, listing.Known?.Status ?? listing.SeededStatus));
        }
        return new GatewayBatch(callId, updates, _now, timeout);
    }

    /// <summary>
    /// When something is next due without any new input (a batch, a call's deadline, the end of a landing window),
    /// or null when nothing is.
    /// </summary>
    public DateTimeOffset? NextWakeUp(DateTimeOffset now)
    {
        Advance(now);
        DateTimeOffset? next = null;
        foreach (var listing in _inFlight)
        {
            var flight = listing.InFlight!;
            next = Earliest(next, flight.SafeToRetryAt ?? flight.StartedAt + flight.Timeout);
        }
        if (!Paused && NextBatchDue() is { } due) next = Earliest(next, Latest(due, _bucket.WhenAvailable(_now)));
        return next;
    }

    /// <summary>The marketplace answered <paramref name="batch"/> with one outcome per update.</summary>
    public void Complete(GatewayBatch batch, IReadOnlyList<UpdateOutcome> outcomes, DateTimeOffset now)
    {
        Advance(now);
        var byListing = new Dictionary<string, UpdateOutcome>(StringComparer.Ordinal);
        foreach (var outcome in outcomes) byListing.TryAdd(outcome.ListingId, outcome);
        var throttled = false;
        var applied = false;
        TimeSpan? retryAfter = null;
        foreach (var update in batch.Updates)
        {
            if (!TryTakeFlight(batch, update.ListingId, out var listing, out var flight)) continue;
            var outcome = byListing.GetValueOrDefault(update.ListingId);
            switch (outcome?.Result)
            {
                case UpdateResult.Applied:
                    Applied(listing, flight.Update, flight.Update.Quantity, flight.Update.Status, outcome.CurrentListingId);
                    applied = true;
                    break;
                case UpdateResult.Throttled:
                    _throttled++;
                    throttled = true;
                    if (outcome.RetryAfter is { } wait && (retryAfter is null || wait > retryAfter)) retryAfter = wait;
                    Requeue(listing, flight.Update);
                    break;
                case UpdateResult.Gone:
                    Gone(listing, flight.Update);
                    break;
                case UpdateResult.Rejected:
                    Reject(listing, flight.Update, outcome.Message ?? NoMessage);
                    break;
                default:
                    // TransientFailure, or an answer that left this listing out: it may or may not have been applied.
                    listing.Known = null;
                    Retry(listing, flight.Update);
                    break;
            }
            AfterFlight(listing);
        }
        if (throttled) Throttle(retryAfter);
        else if (applied) _consecutiveThrottles = 0;
    }

    /// <summary>
    /// The call failed as a whole (the client threw): every update is retried after a per-listing back-off, and what
    /// the marketplace shows is no longer known (the request may have reached it).
    /// </summary>
    public void Fail(GatewayBatch batch, DateTimeOffset now)
    {
        Advance(now);
        foreach (var update in batch.Updates)
        {
            if (!TryTakeFlight(batch, update.ListingId, out var listing, out var flight)) continue;
            listing.Known = null;
            Retry(listing, flight.Update);
            AfterFlight(listing);
        }
    }

    /// <summary>
    /// The call was abandoned at its timeout: its updates may still land, so their listings stay in flight until
    /// <see cref="ChannelDefinition.LandingGrace"/> after the timeout. The core also times out calls by itself when
    /// it is asked anything after a call's deadline.
    /// </summary>
    public void TimedOut(GatewayBatch batch, DateTimeOffset now)
    {
        Advance(now);
        foreach (var update in batch.Updates)
        {
            if (_listings.TryGetValue(update.ListingId, out var listing) &&
                listing.InFlight is { SafeToRetryAt: null } flight && flight.CallId == batch.CallId)
            {
                MarkTimedOut(listing, flight);
            }
        }
        Advance(_now);
    }

    public ChannelStats Stats(DateTimeOffset now)
    {
        Advance(now);
        DateTimeOffset? oldestPending = null;
        foreach (var listing in _queued) oldestPending = Earliest(oldestPending, listing.Queued!.QueuedAt);
        foreach (var listing in _inFlight.Where(l => !l.Forgotten))
            oldestPending = Earliest(oldestPending, listing.InFlight!.Update.QueuedAt);
        return new ChannelStats(
            _channel.Id, Marketplaces.WireName(_channel.Marketplace), _listings.Values.Count(l => !l.Forgotten),
            _queued.Count, _inFlight.Count, _applied, _coalesced, _suppressed, _throttled, _failures, _rejected, _lastCallId,
            Math.Round(_bucket.Available(_now), 3), Paused, _now - oldestPending);
    }

    /// <summary>The acknowledgements decided since the last call, for the SKUs; each is returned once.</summary>
    public IReadOnlyList<ListingCommands.AcknowledgeListing> TakeAcknowledgements()
    {
        if (_acknowledgements.Count == 0) return [];
        var taken = _acknowledgements.ToList();
        _acknowledgements.Clear();
        return taken;
    }

    /// <summary>
    /// Moves the core's clock forward (never back): times out calls past their deadline and frees the listings of
    /// timed-out calls whose landing window is over. (The bucket refills lazily, by the same clock.)
    /// </summary>
    private void Advance(DateTimeOffset now)
    {
        if (now > _now) _now = now;
        if (_inFlight.Count == 0) return;
        // Most calls are on time: only the flights past a deadline are copied out (in the set's order) and changed.
        _flightsDue.Clear();
        foreach (var listing in _inFlight)
        {
            var flight = listing.InFlight!;
            if (_now >= (flight.SafeToRetryAt ?? flight.StartedAt + flight.Timeout)) _flightsDue.Add(listing);
        }
        foreach (var listing in _flightsDue)
        {
            var flight = listing.InFlight!;
            if (flight.SafeToRetryAt is null && _now >= flight.StartedAt + flight.Timeout)
                flight = MarkTimedOut(listing, flight);
            if (flight.SafeToRetryAt is { } safe && _now >= safe)
            {
                ClearFlight(listing);
                Requeue(listing, flight.Update);
                AfterFlight(listing);
            }
        }
        _flightsDue.Clear();
    }

    private Flight MarkTimedOut(ListingTrack listing, Flight flight)
    {
        var timedOut = flight with { SafeToRetryAt = flight.StartedAt + flight.Timeout + _channel.LandingGrace };
        listing.InFlight = timedOut;
        // It may land or not: suppressing a value against the old knowledge could leave the late one showing.
        listing.Known = null;
        _failures++;
        listing.ConsecutiveFailures++;
        listing.RetryAt = Latest(timedOut.SafeToRetryAt.Value, _now + Backoff(listing.ConsecutiveFailures, RetryBaseDelay));
        return timedOut;
    }

    /// <summary>When a batch would be due if a token were there: a full batch ready, or the oldest ready one lingered.</summary>
    /// <remarks>
    /// The answer is never before now, so every time is taken at now at the earliest: the listings ready now need no
    /// sorting, and only those still waiting (a back-off, a throttle) are sorted, when they decide when a batch is full.
    /// </remarks>
    private DateTimeOffset? NextBatchDue()
    {
        var waiting = 0;
        var readyNow = 0;
        DateTimeOffset? due = null;
        _laterReadyAt.Clear();
        foreach (var listing in _queued)
        {
            if (listing.InFlight is not null) continue;
            waiting++;
            var readyAt = Latest(Latest(listing.RetryAt, _throttledUntil), _now);
            due = Earliest(due, Latest(readyAt, listing.Queued!.QueuedAt + _channel.BatchLinger));
            if (readyAt == _now) readyNow++;
            else _laterReadyAt.Add(readyAt);
        }
        if (due is not { } next) return null;
        if (waiting >= _channel.BatchSize)
        {
            var fullBatchReadyAt = _now;
            if (readyNow < _channel.BatchSize)
            {
                _laterReadyAt.Sort();
                fullBatchReadyAt = _laterReadyAt[_channel.BatchSize - readyNow - 1];
            }
            if (fullBatchReadyAt < next) next = fullBatchReadyAt;
        }
        return next;
    }

    private bool TryTakeFlight(
        GatewayBatch batch, string listingId, [NotNullWhen(true)] out ListingTrack? listing, [NotNullWhen(true)] out Flight? flight)
    {
        flight = null;
        // A result for a call that no longer owns the listing (it was freed after its landing window) changes nothing.
        if (!_listings.TryGetValue(listingId, out listing) || listing.InFlight is not { } owned || owned.CallId != batch.CallId)
            return false;
        flight = owned;
        ClearFlight(listing);
        return true;
    }

    private void Applied(ListingTrack listing, Desired update, long quantity, ListingStatus status, string? newListingId)
    {
        _applied++;
        var shown = new Shown(quantity, status);
        listing.Known = shown;
        if (newListingId is not null) listing.LearnedListingId = newListingId;
        listing.ConsecutiveFailures = 0;
        if (update.Sku == listing.Sku) RecordApplied(listing, update.Version, shown);
        Acknowledge(listing, update.Sku, update.Version, true, quantity, status, newListingId, null);
    }

    /// <summary>An ended or missing listing: fine when it should be out of stock, else it needs a relist.</summary>
    private void Gone(ListingTrack listing, Desired update)
    {
        if (update.Quantity == 0)
        {
            Applied(listing, update, 0, ListingStatus.Ended, null);
            return;
        }
        var relistFailed = listing.Known?.Status == ListingStatus.Ended;
        listing.Known = new Shown(0, ListingStatus.Ended);
        if (relistFailed) Retry(listing, update);
        else Requeue(listing, update);
    }

    private void Reject(ListingTrack listing, Desired update, string message)
    {
        _rejected++;
        listing.ConsecutiveFailures = 0;
        listing.Rejection = new Rejection(update, message);
        Acknowledge(listing, update.Sku, update.Version, false, update.Quantity, update.Status, null, message);
    }

    private void Retry(ListingTrack listing, Desired update)
    {
        _failures++;
        listing.ConsecutiveFailures++;
        listing.RetryAt = _now + Backoff(listing.ConsecutiveFailures, RetryBaseDelay);
        Requeue(listing, update);
    }

    private void Throttle(TimeSpan? retryAfter)
    {
        _consecutiveThrottles++;
        var until = _now + (retryAfter ?? Backoff(_consecutiveThrottles, ThrottleBaseDelay));
        if (until > _throttledUntil) _throttledUntil = until;
    }

    /// <summary>The update did not (or may not) land: send it again, unless a newer one waits or the listing moved on.</summary>
    private void Requeue(ListingTrack listing, Desired update)
    {
        if (!listing.Forgotten && listing.Queued is null && update.Sku == listing.Sku) Queue(listing, update);
    }

    private void AfterFlight(ListingTrack listing)
    {
        if (listing.Forgotten) _listings.Remove(listing.ListingId);
        else SuppressIfAlreadyShown(listing);
    }

    private void SuppressIfAlreadyShown(ListingTrack listing)
    {
        if (listing is not { Queued: { Force: false } queued, InFlight: null, Known: { } known } ||
            known != new Shown(queued.Quantity, queued.Status))
        {
            return;
        }
        Unqueue(listing);
        _suppressed++;
        listing.ConsecutiveFailures = 0;
        RecordApplied(listing, queued.Version, known);
        Acknowledge(listing, queued.Sku, queued.Version, true, known.Quantity, known.Status, null, null);
    }

    private static void RecordApplied(ListingTrack listing, long version, Shown shown)
    {
        if (listing.LastApplied is null || version > listing.LastApplied.Version) listing.LastApplied = new AppliedUpdate(version, shown);
    }

    private void StartOver(ListingTrack listing, string sku)
    {
        Unqueue(listing);
        listing.Sku = sku;
        listing.LastApplied = null;
        listing.SentVersion = 0;
        listing.Rejection = null;
        listing.Newest = null;
        listing.LearnedListingId = null;
    }

    private void Queue(ListingTrack listing, Desired desired)
    {
        listing.Queued = desired;
        _queued.Add(listing);
    }

    private void Unqueue(ListingTrack listing)
    {
        listing.Queued = null;
        _queued.Remove(listing);
    }

    private bool IsReady(ListingTrack listing) => listing.InFlight is null && listing.RetryAt <= _now;

    private void StartFlight(ListingTrack listing, Flight flight)
    {
        listing.InFlight = flight;
        if (flight.Update.Version > listing.SentVersion) listing.SentVersion = flight.Update.Version;
        _inFlight.Add(listing);
    }

    private void ClearFlight(ListingTrack listing)
    {
        listing.InFlight = null;
        _inFlight.Remove(listing);
    }

    private void Acknowledge(
        ListingTrack listing, string sku, long version, bool applied, long quantity, ListingStatus status,
        string? newListingId, string? message)
    {
        if (listing.Forgotten) return;
        _acknowledgements.Add(new ListingCommands.AcknowledgeListing(
            sku, _channel.Id, listing.ListingId, version, applied, quantity, status, newListingId, message));
    }

    /// <summary>Exponential back-off with "equal jitter": between half and all of the doubled delay, capped.</summary>
    private TimeSpan Backoff(int attempt, TimeSpan baseDelay)
    {
        var doubled = baseDelay.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20));
        var ceiling = Math.Min(MaxRetryDelay.Ticks, doubled);
        return TimeSpan.FromTicks(ceiling / 2 + (long)(_jitter.NextDouble() * (ceiling / 2)));
    }

    /// <summary>Oversell risk, most urgent first: going out of stock, then decreases (or an unknown baseline), then increases, then status-only changes.</summary>
    private static UpdateRisk RiskOf(ListingTrack listing)
    {
        var desired = listing.Queued!;
        if (desired.Quantity == 0) return UpdateRisk.GoesOutOfStock;
        if (listing.Known is not { } known || desired.Quantity < known.Quantity) return UpdateRisk.Decrease;
        return desired.Quantity > known.Quantity ? UpdateRisk.Increase : UpdateRisk.StatusOnly;
    }

    private static bool Supersedes(Publish publish, Desired existing) =>
        publish.Sku != existing.Sku || publish.Version > existing.Version;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private enum UpdateRisk { GoesOutOfStock, Decrease, Increase, StatusOnly }

    /// <summary>What the marketplace shows for a listing.</summary>
    private readonly record struct Shown(long Quantity, ListingStatus Status);

    /// <summary>A desired state to send; <see cref="QueuedAt"/> is when the listing started waiting for it.</summary>
    private sealed record Desired(string Sku, long Version, long Quantity, ListingStatus Status, bool Force, DateTimeOffset QueuedAt);

    /// <summary>A call carrying a listing's update; <see cref="SafeToRetryAt"/> is set once the call timed out.</summary>
    private sealed record Flight(long CallId, Desired Update, DateTimeOffset StartedAt, TimeSpan Timeout, DateTimeOffset? SafeToRetryAt);

    private sealed record Rejection(Desired Update, string Message);

    /// <summary>A version the marketplace applied (or already showed), and what it showed then.</summary>
    private sealed record AppliedUpdate(long Version, Shown Shown);

    private sealed class ListingTrack(string listingId, string sku)
    {
        public string ListingId { get; } = listingId;
        public string Sku { get; set; } = sku;
        /// <summary>The marketplace's id as the SKU last published it.</summary>
        public string PublishedListingId { get; set; } = listingId;
        /// <summary>A new id the marketplace gave (relist) that the SKU may not have recorded yet.</summary>
        public string? LearnedListingId { get; set; }
        public string CurrentListingId => LearnedListingId ?? PublishedListingId;
        public Shown? Known { get; set; }
        /// <summary>The newest version the marketplace applied or already showed: no version up to it is sent again, unless forced.</summary>
        public AppliedUpdate? LastApplied { get; set; }
        /// <summary>The status the listing last had acknowledged when this gateway first heard of it, for the adapter only.</summary>
        public ListingStatus? SeededStatus { get; set; }
        /// <summary>The newest version sent to the marketplace (by any incarnation, once restored): none older is sent after it.</summary>
        public long SentVersion { get; set; }
        public Rejection? Rejection { get; set; }
        /// <summary>The newest desired state accepted, whatever became of it (a resync sends it again).</summary>
        public Desired? Newest { get; set; }
        public Desired? Queued { get; set; }
        public Flight? InFlight { get; set; }
        public int ConsecutiveFailures { get; set; }
        public DateTimeOffset RetryAt { get; set; }
        /// <summary>Unmapped while a call was in flight: removed when the call ends, acknowledged to nobody.</summary>
        public bool Forgotten { get; set; }
    }
}
