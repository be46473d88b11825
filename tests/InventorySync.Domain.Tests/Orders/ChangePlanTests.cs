using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;

namespace InventorySync.Domain.Tests.Orders;

public class ChangePlanTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An order with lines a (reserved, open), b (dispatched), c (rejected).</summary>
    private static LedgerState Ledger()
    {
        var request = new OrderRequest("o1", "ebay", false,
            [new OrderLine("a", "S1", 1), new OrderLine("b", "S2", 2), new OrderLine("c", "S3", 3)]);
        return new LedgerState()
            .Apply(new OrderEvents.OrderReceived(request, At))
            .Apply(new OrderEvents.OrderLinesRecorded("o1",
            [
                new ReservationOutcome("o1", "a", 1, LineStatus.Reserved, LineState.Open, 1, 0),
                new ReservationOutcome("o1", "b", 2, LineStatus.Reserved, LineState.Dispatched, 2, 0),
                new ReservationOutcome("o1", "c", 3, LineStatus.Rejected, LineState.Cancelled, 0, 0),
            ], At));
    }

    [Fact]
    public void Cancelling_the_whole_order_targets_only_its_open_lines()
    {
        var plan = Ledger().PlanChange("o1", null, LineOperation.Cancel);
        Assert.Equal(ChangeVerdict.Proceed, plan.Verdict);
        Assert.Equal(["a"], plan.Lines.Select(l => l.LineId));
    }

    [Fact]
    public void Naming_a_dispatched_line_in_a_cancel_is_a_conflict_that_targets_nothing()
    {
        var plan = Ledger().PlanChange("o1", ["a", "b"], LineOperation.Cancel);
        Assert.Equal(ChangeVerdict.Conflict, plan.Verdict);
        Assert.Contains("line b is already dispatched", plan.Detail);
        Assert.Empty(plan.Lines);
    }

    [Fact]
    public void Naming_a_rejected_line_in_a_dispatch_is_a_conflict()
    {
        var plan = Ledger().PlanChange("o1", ["c"], LineOperation.Dispatch);
        Assert.Equal(ChangeVerdict.Conflict, plan.Verdict);
        Assert.Contains("line c is rejected or cancelled", plan.Detail);
    }

    [Fact]
    public void Repeating_a_change_already_made_has_nothing_to_do()
    {
        Assert.Equal(ChangeVerdict.NothingToDo, Ledger().PlanChange("o1", ["b"], LineOperation.Dispatch).Verdict);
        Assert.Equal(ChangeVerdict.NothingToDo, Ledger().PlanChange("o1", ["c"], LineOperation.Cancel).Verdict);
    }

    [Fact]
    public void Unknown_lines_unknown_orders_and_undecided_orders_are_refused()
    {
        var unknownLine = Ledger().PlanChange("o1", ["a", "zz"], LineOperation.Cancel);
        Assert.Equal((ChangeVerdict.UnknownLines, "Order o1 has no line zz."), (unknownLine.Verdict, unknownLine.Detail));
        Assert.Equal(ChangeVerdict.NotFound, Ledger().PlanChange("nope", null, LineOperation.Cancel).Verdict);

        var undecided = new LedgerState().Apply(new OrderEvents.OrderReceived(
            new OrderRequest("o2", "ebay", false, [new OrderLine("a", "S1", 1)]), At));
        Assert.Equal(ChangeVerdict.StillPlacing, undecided.PlanChange("o2", null, LineOperation.Dispatch).Verdict);
    }
}
