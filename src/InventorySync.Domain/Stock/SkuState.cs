using System.Collections.Immutable;
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
/// stock-change references. Immutable; changed only by <see cref="Apply"/>.
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
        var s = this with { Exists = true };
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
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown SKU event"),
        };
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
        var closed = Closed.SetItem(line.Key, line);
        var order = ClosedOrder.Enqueue(line.Key);
        while (closed.Count > Limits.ClosedReservationWindow)
        {
            order = order.Dequeue(out var oldest);
            closed = closed.Remove(oldest);
        }
        return this with { Closed = closed, ClosedOrder = order };
    }

    private SkuState Remember(StockChangeRecord record)
    {
        var references = References.SetItem(record.Reference, record);
        var order = ReferenceOrder.Enqueue(record.Reference);
        while (references.Count > Limits.ReferenceWindow)
        {
            order = order.Dequeue(out var oldest);
            references = references.Remove(oldest);
        }
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
