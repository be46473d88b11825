using System.Collections.Immutable;
using InventorySync.Domain.Listings;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Domain.Stock;

/// <summary>How much a SKU remembers of what is already closed, to answer retries with their first outcome.</summary>
public sealed record SkuLimits(int ClosedReservationWindow = 10_000, int ReferenceWindow = 1_000)
{
    public static readonly SkuLimits Default = new();
}

/// <summary>How a stock-change reference was answered, so the same reference is answered the same way again.</summary>
public sealed record StockChangeRecord(string Reference, string Kind, long Value, bool Accepted, string? Reason)
    : IInventoryMessage;

/// <summary>
/// The in-memory state of one SKU: its levels, its open reservations, and bounded windows of closed reservations and
/// stock-change references, and its listings. Immutable; changed only by <see cref="Apply"/>.
/// <see cref="Revision"/> counts the events applied (the journal's sequence number), and stamps listing versions.
/// </summary>
public sealed record SkuState(
    string Sku,
    bool Exists,
    StockLevels Levels,
    ImmutableDictionary<ReservationKey, Reservation> Open,
    ImmutableSortedDictionary<long, ReservationKey> Backorders,
    ImmutableDictionary<ReservationKey, ClosedLine> Closed,
    ImmutableQueue<ReservationKey> ClosedOrder,
    ImmutableDictionary<string, StockChangeRecord> References,
    ImmutableQueue<string> ReferenceOrder,
    long NextSequence,
    ImmutableDictionary<ListingKey, ListingState> Listings,
    long Revision,
    SkuLimits Limits)
{
    public static SkuState Empty(string sku, SkuLimits? limits = null) => new(
        sku, false, StockLevels.Empty,
        ImmutableDictionary<ReservationKey, Reservation>.Empty,
        ImmutableSortedDictionary<long, ReservationKey>.Empty,
        ImmutableDictionary<ReservationKey, ClosedLine>.Empty,
        ImmutableQueue<ReservationKey>.Empty,
        ImmutableDictionary<string, StockChangeRecord>.Empty,
        ImmutableQueue<string>.Empty,
        1,
        ImmutableDictionary<ListingKey, ListingState>.Empty,
        0,
        limits ?? SkuLimits.Default);

    /// <summary>The line's outcome as it stands now, open or closed; null when the SKU does not know it.</summary>
    public ReservationOutcome? Find(ReservationKey key) =>
        Open.TryGetValue(key, out var open) ? open.ToOutcome(LineState.Open)
        : Closed.TryGetValue(key, out var closed) ? closed.Outcome
        : null;

    /// <summary>
    /// Applies one written event. Levels are recomputed from the event's own effects (its <c>After</c> is for the
    /// history), so the state is always the fold of exactly the events that were written.
    /// </summary>
    public SkuState Apply(ISkuEvent e)
    {
        var next = Next(e);
        return next.Levels.Available != Levels.Available ? next.Allocate() : next;
    }

    private SkuState Next(ISkuEvent e)
    {
        var s = this with { Exists = true, Revision = Revision + 1 };
        var l = Levels;
        return e switch
        {
            StockCounted c => (s with { Levels = l with { OnHand = c.OnHand } }).Reallocate(c.Reallocations)
                .Remember(new StockChangeRecord(c.Reference, StockChangeKinds.Count, c.OnHand, true, null)),
            StockAdjusted a => (s with { Levels = l with { OnHand = l.OnHand + a.Delta } }).Reallocate(a.Reallocations)
                .Remember(new StockChangeRecord(a.Reference, StockChangeKinds.Adjustment, a.Delta, true, null)),
            AdjustmentRefused r => s.Remember(
                new StockChangeRecord(r.Reference, StockChangeKinds.Adjustment, r.Delta, false, r.Reason)),
            Reserved r => (s with
            {
                Levels = new StockLevels(l.OnHand, l.Reserved + r.ReservedQuantity, l.Backordered + r.BackorderedQuantity),
                NextSequence = s.NextSequence + 1,
            }).Open_(new Reservation(r.OrderId, r.LineId, r.Quantity, r.ReservedQuantity, r.BackorderedQuantity,
                r.BackorderedQuantity > 0 ? LineStatus.Backordered : LineStatus.Reserved, r.Channel, r.AllowBackorder,
                s.NextSequence, r.At)),
            ReservationRejected r => s.Close(new ClosedLine(new ReservationOutcome(
                r.OrderId, r.LineId, r.Quantity, LineStatus.Rejected, LineState.Cancelled, 0, 0), r.Channel, false)),
            ReservationCancelled c => s.Release(new ReservationKey(c.OrderId, c.LineId))
                .CloseOpen(new ReservationKey(c.OrderId, c.LineId), LineState.Cancelled)
                .Reallocate(c.Reallocations),
            ReservationDispatched d => (s with
            {
                Levels = l with { OnHand = l.OnHand - d.Quantity, Reserved = l.Reserved - d.Quantity },
            }).CloseOpen(new ReservationKey(d.OrderId, d.LineId), LineState.Dispatched),
            OversellRecorded => s,
            ListingMapped m => s.Map(m),
            ListingUnmapped u => s with { Listings = Listings.Remove(new ListingKey(u.Channel, u.ListingId)) },
            ListingSynced y => s.WithListing(new ListingKey(y.Channel, y.ListingId), x => y.Version <= x.SyncedVersion ? x : x with
            {
                SyncedVersion = y.Version,
                PublishedQuantity = y.Quantity,
                PublishedStatus = y.Status,
                CurrentListingId = y.CurrentListingId,
                LastError = y.Version > x.RefusedVersion ? null : x.LastError,
            }),
            ListingRefused f => s.WithListing(new ListingKey(f.Channel, f.ListingId), x => f.Version <= x.RefusedVersion ? x : x with
            {
                RefusedVersion = f.Version,
                LastError = f.Message,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown SKU event"),
        };
    }

    /// <summary>Open listings whose desired version is not yet acknowledged.</summary>
    public bool HasPendingListings => Listings.Values.Any(x => x.IsPending);

    private SkuState Map(ListingMapped m)
    {
        var key = new ListingKey(m.Channel, m.ListingId);
        var listing = Listings.TryGetValue(key, out var known)
            ? known with { Marketplace = m.Marketplace, Settings = m.Settings }
            : ListingState.Mapped(m.Channel, m.ListingId, m.Marketplace, m.Settings);
        return this with { Listings = Listings.SetItem(key, listing.Allocate(Levels.Available, Revision)) };
    }

    private SkuState WithListing(ListingKey key, Func<ListingState, ListingState> change) =>
        Listings.TryGetValue(key, out var listing) ? this with { Listings = Listings.SetItem(key, change(listing)) } : this;

    /// <summary>Every listing's desired state for the current availability, new ones stamped with this revision.</summary>
    private SkuState Allocate()
    {
        if (Listings.IsEmpty) return this;
        var listings = Listings;
        foreach (var (key, listing) in Listings)
        {
            var allocated = listing.Allocate(Levels.Available, Revision);
            if (!ReferenceEquals(allocated, listing)) listings = listings.SetItem(key, allocated);
        }
        return this with { Listings = listings };
    }

    private SkuState Release(ReservationKey key)
    {
        var r = Open[key];
        return this with
        {
            Levels = Levels with
            {
                Reserved = Levels.Reserved - r.ReservedQuantity,
                Backordered = Levels.Backordered - r.BackorderedQuantity,
            },
        };
    }

    private SkuState Open_(Reservation r) => this with
    {
        Open = Open.SetItem(r.Key, r),
        Backorders = r.BackorderedQuantity > 0 ? Backorders.SetItem(r.Sequence, r.Key) : Backorders,
    };

    private SkuState CloseOpen(ReservationKey key, LineState state)
    {
        var r = Open[key];
        var s = this with { Open = Open.Remove(key), Backorders = Backorders.Remove(r.Sequence) };
        return s.Close(r.Close(state));
    }

    private SkuState Close(ClosedLine line)
    {
        var (closed, order) = Window.Add(Closed, ClosedOrder, line.Key, line, Limits.ClosedReservationWindow);
        return this with { Closed = closed, ClosedOrder = order };
    }

    private SkuState Remember(StockChangeRecord record)
    {
        var (references, order) = Window.Add(References, ReferenceOrder, record.Reference, record, Limits.ReferenceWindow);
        return this with { References = references, ReferenceOrder = order };
    }

    private SkuState Reallocate(IReadOnlyList<Reallocation> reallocations)
    {
        if (reallocations.Count == 0) return this;
        var open = Open.ToBuilder();
        var backorders = Backorders.ToBuilder();
        foreach (var move in reallocations)
        {
            var r = open[move.Key];
            var next = r with
            {
                ReservedQuantity = r.ReservedQuantity + move.Quantity,
                BackorderedQuantity = r.BackorderedQuantity - move.Quantity,
            };
            open[move.Key] = next;
            if (next.BackorderedQuantity > 0) backorders[next.Sequence] = next.Key;
            else backorders.Remove(next.Sequence);
        }
        var moved = reallocations.Sum(m => m.Quantity);
        return this with
        {
            Levels = Levels with { Reserved = Levels.Reserved + moved, Backordered = Levels.Backordered - moved },
            Open = open.ToImmutable(),
            Backorders = backorders.ToImmutable(),
        };
    }
}

public static class StockChangeKinds
{
    public const string Count = "count";
    public const string Adjustment = "adjustment";
}

/// <summary>A bounded window of entries by key, oldest evicted first: the closed lines and references a SKU remembers.</summary>
internal static class Window
{
    public static (ImmutableDictionary<TKey, TValue> Entries, ImmutableQueue<TKey> Order) Add<TKey, TValue>(
        ImmutableDictionary<TKey, TValue> entries, ImmutableQueue<TKey> order, TKey key, TValue value, int limit)
        where TKey : notnull
    {
        entries = entries.SetItem(key, value);
        order = order.Enqueue(key);
        while (entries.Count > limit)
        {
            order = order.Dequeue(out var oldest);
            entries = entries.Remove(oldest);
        }
        return (entries, order);
    }
}
