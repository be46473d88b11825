using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;
using static InventorySync.Domain.Orders.OrderEvents;

namespace InventorySync.Domain.Tests.Orders;

public sealed class LedgerStateTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static OrderRequest Order(string id = "order-1", string channel = "ebay", bool allowBackorder = false,
        params OrderLine[] lines) =>
        new(id, channel, allowBackorder, lines.Length > 0 ? lines : [new("l1", "SKU-A", 2), new("l2", "SKU-B", 1)]);

    private static ReservationOutcome Outcome(string order, string line, long quantity, LineStatus status, LineState state) =>
        new(order, line, quantity, status, state,
            status == LineStatus.Rejected ? 0 : quantity, 0);

    private static LedgerState Received(params OrderRequest[] orders) =>
        orders.Aggregate(new LedgerState(), (s, o) => s.Apply(new OrderReceived(o, T0)));

    private static LedgerState Decided(OrderRequest order, DateTimeOffset at) =>
        Received(order).Apply(new OrderLinesRecorded(order.OrderId,
            order.Lines.Select(l => Outcome(order.OrderId, l.LineId, l.Quantity, LineStatus.Reserved, LineState.Open)).ToList(),
            at));

    [Fact]
    public void Unknown_order_is_new() => Assert.Equal(Submission.New, new LedgerState().Classify(Order()));

    [Fact]
    public void Received_but_undecided_order_submitted_again_is_resumed()
    {
        var ledger = Received(Order());

        Assert.Equal(Submission.Resume, ledger.Classify(Order()));
        Assert.Equal(["order-1"], ledger.Undecided.Select(o => o.OrderId));
    }

    [Fact]
    public void Partly_decided_order_submitted_again_is_resumed()
    {
        var ledger = Received(Order()).Apply(new OrderLinesRecorded("order-1",
            [Outcome("order-1", "l1", 2, LineStatus.Reserved, LineState.Open)], T0));

        Assert.Equal(Submission.Resume, ledger.Classify(Order()));
        Assert.False(ledger.Orders["order-1"].IsDecided);
        Assert.Null(ledger.Orders["order-1"].Line("l2")!.Status);
    }

    [Fact]
    public void Decided_order_submitted_again_is_a_replay_even_with_its_lines_in_another_order()
    {
        var ledger = Decided(Order(), T0);
        var reordered = Order(lines: [new("l2", "SKU-B", 1), new("l1", "SKU-A", 2)]);

        Assert.Equal(Submission.Replay, ledger.Classify(Order()));
        Assert.Equal(Submission.Replay, ledger.Classify(reordered));
        Assert.Empty(ledger.Undecided);
    }

    public static TheoryData<string, OrderRequest> DifferentBodies => new()
    {
        { "different quantity", Order(lines: [new("l1", "SKU-A", 3), new("l2", "SKU-B", 1)]) },
        { "different sku", Order(lines: [new("l1", "SKU-C", 2), new("l2", "SKU-B", 1)]) },
        { "different line id", Order(lines: [new("l1", "SKU-A", 2), new("l3", "SKU-B", 1)]) },
        { "one line fewer", Order(lines: [new("l1", "SKU-A", 2)]) },
        { "one line more", Order(lines: [new("l1", "SKU-A", 2), new("l2", "SKU-B", 1), new("l3", "SKU-B", 1)]) },
        { "different channel", Order(channel: "amazon") },
        { "different allowBackorder", Order(allowBackorder: true) },
    };

    [Theory]
    [MemberData(nameof(DifferentBodies))]
    public void Same_order_id_with_a_different_body_is_a_conflict_whether_decided_or_not(string why, OrderRequest different)
    {
        Assert.Equal(Submission.Conflict, Received(Order()).Classify(different));
        Assert.True(Decided(Order(), T0).Classify(different) == Submission.Conflict, why);
    }

    [Fact]
    public void Received_order_holds_undecided_open_lines_and_no_closing_time()
    {
        var order = Received(Order()).Orders["order-1"];

        Assert.All(order.Lines, l => Assert.Equal(((LineStatus?)null, LineState.Open, false), (l.Status, l.State, l.IsClosed)));
        Assert.Null(order.ClosedAt);
        Assert.Equal(T0, order.ReceivedAt);
        Assert.True(order.ToRequest().SameAs(Order()));
    }

    [Fact]
    public void Recorded_outcomes_update_only_their_lines()
    {
        var ledger = Received(Order()).Apply(new OrderLinesRecorded("order-1",
            [new ReservationOutcome("order-1", "l2", 1, LineStatus.Backordered, LineState.Open, 0, 1)], T0));

        var order = ledger.Orders["order-1"];
        Assert.Equal(new OrderLineRecord("l2", "SKU-B", 1, LineStatus.Backordered, LineState.Open, 0, 1), order.Line("l2"));
        Assert.Equal(new OrderLineRecord("l1", "SKU-A", 2, null, LineState.Open, 0, 0), order.Line("l1"));
    }

    [Fact]
    public void Order_is_closed_only_when_every_line_is_closed()
    {
        var ledger = Decided(Order(), T0);
        ledger = ledger.Apply(new OrderLinesRecorded("order-1",
            [Outcome("order-1", "l1", 2, LineStatus.Reserved, LineState.Dispatched)], T0.AddMinutes(1)));
        Assert.Null(ledger.Orders["order-1"].ClosedAt);

        ledger = ledger.Apply(new OrderLinesRecorded("order-1",
            [Outcome("order-1", "l2", 1, LineStatus.Reserved, LineState.Cancelled)], T0.AddMinutes(2)));

        Assert.Equal(T0.AddMinutes(2), ledger.Orders["order-1"].ClosedAt);
    }

    [Fact]
    public void Order_whose_lines_are_all_rejected_is_closed_when_decided()
    {
        var order = Order();
        var ledger = Received(order).Apply(new OrderLinesRecorded("order-1",
            order.Lines.Select(l => Outcome("order-1", l.LineId, l.Quantity, LineStatus.Rejected, LineState.Cancelled)).ToList(),
            T0.AddSeconds(1)));

        Assert.Equal(T0.AddSeconds(1), ledger.Orders["order-1"].ClosedAt);
    }

    [Fact]
    public void Order_with_an_open_or_undecided_line_has_no_closing_time()
    {
        var ledger = Received(Order()).Apply(new OrderLinesRecorded("order-1",
            [Outcome("order-1", "l1", 2, LineStatus.Reserved, LineState.Dispatched)], T0));

        Assert.Null(ledger.Orders["order-1"].ClosedAt); // l2 undecided
        Assert.False(ledger.Orders["order-1"].Line("l2")!.IsClosed);
    }

    [Fact]
    public void Closing_time_is_the_first_time_the_order_closed()
    {
        var order = Order(lines: [new OrderLine("l1", "SKU-A", 1)]);
        var ledger = Received(order)
            .Apply(new OrderLinesRecorded("order-1", [Outcome("order-1", "l1", 1, LineStatus.Reserved, LineState.Cancelled)], T0.AddMinutes(1)))
            .Apply(new OrderLinesRecorded("order-1", [Outcome("order-1", "l1", 1, LineStatus.Reserved, LineState.Cancelled)], T0.AddMinutes(5)));

        Assert.Equal(T0.AddMinutes(1), ledger.Orders["order-1"].ClosedAt);
    }

    [Fact]
    public void ClosedBefore_lists_closed_orders_at_or_before_the_cutoff_only()
    {
        var single = (string id) => Order(id, lines: [new OrderLine("l1", "SKU-A", 1)]);
        var ledger = Received(single("early"), single("exact"), single("late"), single("open"));
        ledger = Close(ledger, "early", T0.AddMinutes(1));
        ledger = Close(ledger, "exact", T0.AddMinutes(2));
        ledger = Close(ledger, "late", T0.AddMinutes(3));
        ledger = ledger.Apply(new OrderLinesRecorded("open", [Outcome("open", "l1", 1, LineStatus.Reserved, LineState.Open)], T0));

        Assert.Equal(["early", "exact"], ledger.ClosedBefore(T0.AddMinutes(2)).Order());
        Assert.Empty(ledger.ClosedBefore(T0));

        static LedgerState Close(LedgerState s, string id, DateTimeOffset at) =>
            s.Apply(new OrderLinesRecorded(id, [Outcome(id, "l1", 1, LineStatus.Reserved, LineState.Dispatched)], at));
    }

    [Fact]
    public void OrdersForgotten_removes_the_orders_so_the_same_id_is_new_again()
    {
        var ledger = Decided(Order("a"), T0).Apply(new OrderReceived(Order("b"), T0));

        ledger = ledger.Apply(new OrdersForgotten(["a"], T0.AddDays(1)));

        Assert.False(ledger.Orders.ContainsKey("a"));
        Assert.True(ledger.Orders.ContainsKey("b"));
        Assert.Equal(Submission.New, ledger.Classify(Order("a")));
    }

    [Fact]
    public void Forgetting_an_unknown_order_changes_nothing()
    {
        var ledger = Received(Order("a"));
        var before = ledger.Orders["a"];

        ledger.Apply(new OrdersForgotten(["zzz"], T0));

        Assert.Equal(["a"], ledger.Orders.Keys);
        Assert.Same(before, ledger.Orders["a"]);
    }
}
