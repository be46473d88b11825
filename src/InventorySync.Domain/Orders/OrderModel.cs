using System.Collections.Immutable;
using InventorySync.Domain.Stock;

namespace InventorySync.Domain.Orders;

public sealed record OrderLine(string LineId, string Sku, long Quantity) : IInventoryMessage;

/// <summary>An order as an order-intake system submits it. Idempotent by <see cref="OrderId"/>.</summary>
public sealed record OrderRequest(string OrderId, string Channel, bool AllowBackorder, IReadOnlyList<OrderLine> Lines)
    : IInventoryMessage
{
    /// <summary>True when <paramref name="other"/> is the same order (lines compared by id, in any order).</summary>
    public bool SameAs(OrderRequest other)
    {
        if (OrderId != other.OrderId || Channel != other.Channel || AllowBackorder != other.AllowBackorder) return false;
        if (Lines.Count != other.Lines.Count) return false;
        var mine = Lines.ToDictionary(l => l.LineId, StringComparer.Ordinal);
        return other.Lines.All(l => mine.TryGetValue(l.LineId, out var m) && m == l);
    }
}

/// <summary>One line of a recorded order. <see cref="Status"/> is null until its SKU has decided it.</summary>
public sealed record OrderLineRecord(
    string LineId, string Sku, long Quantity, LineStatus? Status, LineState State,
    long ReservedQuantity, long BackorderedQuantity) : IInventoryMessage
{
    public bool IsDecided => Status is not null;

    public bool IsClosed => IsDecided && State != LineState.Open;

    /// <summary>
    /// What is recorded when the SKU refuses to reserve this line, because it already knows the line with other terms
    /// (an order id reused after the ledger forgot it): the line is rejected and holds nothing.
    /// </summary>
    public ReservationOutcome RefusedPlacement(string orderId) =>
        new(orderId, LineId, Quantity, LineStatus.Rejected, LineState.Cancelled, 0, 0);

    public OrderLineRecord With(ReservationOutcome o) => this with
    {
        Status = o.Status, State = o.State, ReservedQuantity = o.ReservedQuantity,
        BackorderedQuantity = o.BackorderedQuantity,
    };
}

public sealed record OrderRecord(
    string OrderId, string Channel, bool AllowBackorder, ImmutableArray<OrderLineRecord> Lines,
    DateTimeOffset ReceivedAt, DateTimeOffset? ClosedAt) : IInventoryMessage
{
    public bool IsDecided => Lines.All(l => l.IsDecided);

    public OrderRequest ToRequest() =>
        new(OrderId, Channel, AllowBackorder, Lines.Select(l => new OrderLine(l.LineId, l.Sku, l.Quantity)).ToList());

    public OrderLineRecord? Line(string lineId) => Lines.FirstOrDefault(l => l.LineId == lineId);
}

public static class OrderEvents
{
    public interface IOrderEvent : IInventoryMessage
    {
        DateTimeOffset At { get; }
    }

    /// <summary>Written before any SKU is asked, so an interrupted order is finished after a restart.</summary>
    public sealed record OrderReceived(OrderRequest Order, DateTimeOffset At) : IOrderEvent;

    /// <summary>What the SKUs answered for some lines: a first decision, a cancellation or a dispatch.</summary>
    public sealed record OrderLinesRecorded(string OrderId, IReadOnlyList<ReservationOutcome> Lines, DateTimeOffset At)
        : IOrderEvent;

    /// <summary>Closed orders older than the retention window leave memory (their events stay in the journal).</summary>
    public sealed record OrdersForgotten(IReadOnlyList<string> OrderIds, DateTimeOffset At) : IOrderEvent;
}

public enum LineOperation { Cancel, Dispatch }

public enum ChangeVerdict
{
    /// <summary>Ask the SKUs of <see cref="ChangePlan.Lines"/>.</summary>
    Proceed,
    /// <summary>Every targeted line is already where the operation would take it: answer with the order as it is.</summary>
    NothingToDo,
    NotFound,
    /// <summary>The order is recorded but its lines are not decided yet: retry shortly.</summary>
    StillPlacing,
    UnknownLines,
    /// <summary>A named line cannot take the operation (cancel a dispatched line, dispatch a cancelled one).</summary>
    Conflict,
}

/// <summary>The open lines a cancel or dispatch acts on, or why it acts on none.</summary>
public sealed record ChangePlan(ChangeVerdict Verdict, string? Detail, OrderRecord? Order, IReadOnlyList<OrderLineRecord> Lines);

/// <summary>What the ledger should do with a submitted order, given what it has recorded.</summary>
public enum Submission { New, Replay, Resume, Conflict }

/// <summary>
/// The orders one ledger partition holds: open ones and closed ones still inside the retention window. Unlike the
/// SKU's state it is changed in place by <see cref="Apply"/>: its one owner (a partition actor) never needs an earlier
/// version, and an immutable map's path copies on every order were the largest source of objects that outlived a
/// young-generation collection, and so of the node's GC pauses. The records it holds are immutable.
/// </summary>
public sealed class LedgerState
{
    private readonly Dictionary<string, OrderRecord> _orders;

    public LedgerState() => _orders = new Dictionary<string, OrderRecord>(StringComparer.Ordinal);

    public LedgerState(IEnumerable<OrderRecord> orders) =>
        _orders = orders.ToDictionary(o => o.OrderId, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, OrderRecord> Orders => _orders;

    public Submission Classify(OrderRequest request)
    {
        if (!Orders.TryGetValue(request.OrderId, out var known)) return Submission.New;
        if (!known.ToRequest().SameAs(request)) return Submission.Conflict;
        return known.IsDecided ? Submission.Replay : Submission.Resume;
    }

    public IEnumerable<OrderRecord> Undecided => Orders.Values.Where(o => !o.IsDecided);

    /// <summary>
    /// Plans a cancel or dispatch of the named lines (every line when <paramref name="lineIds"/> is null). Named lines
    /// that cannot take the operation make it a conflict that changes nothing; unnamed ones are left as they are.
    /// </summary>
    public ChangePlan PlanChange(string orderId, IReadOnlyList<string>? lineIds, LineOperation operation)
    {
        if (!Orders.TryGetValue(orderId, out var order)) return new(ChangeVerdict.NotFound, $"No order {orderId}.", null, []);
        if (!order.IsDecided)
        {
            return new(ChangeVerdict.StillPlacing, $"Order {orderId} is still being placed; retry in a moment.", order, []);
        }

        var unknown = lineIds?.Where(id => order.Line(id) is null).ToList() ?? [];
        if (unknown.Count > 0)
        {
            return new(ChangeVerdict.UnknownLines, $"Order {orderId} has no line {string.Join(", ", unknown)}.", order, []);
        }

        var targets = (lineIds?.Distinct().Select(id => order.Line(id)!) ?? order.Lines).ToList();
        var blockedState = operation == LineOperation.Cancel ? LineState.Dispatched : LineState.Cancelled;
        var blocked = targets.Where(l => l.State == blockedState).ToList();
        if (lineIds is not null && blocked.Count > 0)
        {
            var why = operation == LineOperation.Cancel ? "already dispatched" : "rejected or cancelled";
            return new(ChangeVerdict.Conflict,
                $"Order {orderId}: line {string.Join(", ", blocked.Select(l => l.LineId))} is {why}; nothing was changed.",
                order, []);
        }

        var open = targets.Where(l => l.State == LineState.Open).ToList();
        return open.Count == 0
            ? new(ChangeVerdict.NothingToDo, null, order, [])
            : new(ChangeVerdict.Proceed, null, order, open);
    }

    public IReadOnlyList<string> ClosedBefore(DateTimeOffset cutoff) =>
        Orders.Values.Where(o => o.ClosedAt is { } closed && closed <= cutoff).Select(o => o.OrderId).ToList();

    /// <summary>Applies one written event in place; returns this ledger, so that applications can be chained.</summary>
    public LedgerState Apply(OrderEvents.IOrderEvent e)
    {
        switch (e)
        {
            case OrderEvents.OrderReceived r:
                _orders[r.Order.OrderId] = new OrderRecord(
                    r.Order.OrderId, r.Order.Channel, r.Order.AllowBackorder,
                    [..r.Order.Lines.Select(l => new OrderLineRecord(l.LineId, l.Sku, l.Quantity, null, LineState.Open, 0, 0))],
                    r.At, null);
                break;
            case OrderEvents.OrderLinesRecorded rec:
                _orders[rec.OrderId] = Record(_orders[rec.OrderId], rec);
                break;
            case OrderEvents.OrdersForgotten f:
                foreach (var id in f.OrderIds) _orders.Remove(id);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown order event");
        }
        return this;
    }

    private static OrderRecord Record(OrderRecord order, OrderEvents.OrderLinesRecorded rec)
    {
        var byLine = rec.Lines.ToDictionary(l => l.LineId, StringComparer.Ordinal);
        var lines = order.Lines.Select(l => byLine.TryGetValue(l.LineId, out var o) ? l.With(o) : l).ToImmutableArray();
        var closed = lines.All(l => l.IsClosed);
        return order with { Lines = lines, ClosedAt = closed ? order.ClosedAt ?? rec.At : null };
    }
}
