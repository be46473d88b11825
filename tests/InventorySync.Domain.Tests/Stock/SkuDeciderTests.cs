using InventorySync.Domain.Stock;
using InventorySync.Domain.Validation;
using static InventorySync.Domain.Stock.SkuCommands;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Domain.Tests.Stock;

/// <summary>The stock model's behaviours, one example each (DESIGN.md "Stock model").</summary>
public sealed class SkuDeciderTests
{
    private const string Sku = SkuScenario.Sku;

    [Fact]
    public void Reservation_that_fits_is_reserved()
    {
        var sku = new SkuScenario();
        sku.Count(10, "count-1");

        var d = sku.Reserve("o1", "l1", 4);

        Assert.Equal(SkuResultCode.Ok, d.Reply.Code);
        Assert.Equal(new StockLevels(10, 4, 0), d.Reply.Levels);
        Assert.Equal(new ReservationOutcome("o1", "l1", 4, LineStatus.Reserved, LineState.Open, 4, 0), d.Reply.Line);
        var reserved = Assert.IsType<Reserved>(Assert.Single(d.Events));
        Assert.Equal((4L, 4L, 0L, "ebay"), (reserved.Quantity, reserved.ReservedQuantity, reserved.BackorderedQuantity, reserved.Channel));
        Assert.Equal("reserved", KindOf(reserved));
        Assert.Equal(6, sku.Levels.Available);
    }

    [Fact]
    public void Reservation_of_exactly_what_is_available_is_reserved()
    {
        var sku = new SkuScenario();
        sku.Count(5, "count-1");

        var d = sku.Reserve("o1", "l1", 5);

        Assert.Equal(LineStatus.Reserved, d.Reply.Line!.Status);
        Assert.Equal(new StockLevels(5, 5, 0), sku.Levels);
    }

    [Fact]
    public void Reservation_beyond_available_is_rejected_and_changes_nothing_but_the_record()
    {
        var sku = new SkuScenario();
        sku.Count(5, "count-1");
        sku.Given(new Reserve(Sku, "o1", "l1", 3, false, "ebay"));
        var open = sku.State.Open;

        var d = sku.Reserve("o2", "l1", 3);

        Assert.Equal(SkuResultCode.Ok, d.Reply.Code);
        Assert.Equal(new ReservationOutcome("o2", "l1", 3, LineStatus.Rejected, LineState.Cancelled, 0, 0), d.Reply.Line);
        Assert.IsType<ReservationRejected>(Assert.Single(d.Events));
        Assert.Equal(new StockLevels(5, 3, 0), sku.Levels);
        Assert.Same(open, sku.State.Open);
        Assert.Empty(sku.State.Backorders);
        Assert.Equal(LineStatus.Rejected, sku.Find("o2", "l1")!.Status); // the record: a retry gets the same answer

        var retry = sku.Reserve("o2", "l1", 3);
        Assert.Empty(retry.Events);
        Assert.Equal(d.Reply, retry.Reply);
    }

    [Fact]
    public void Rejected_line_stays_rejected_when_retried_after_stock_arrives()
    {
        var sku = new SkuScenario();
        sku.Reserve("o1", "l1", 2);
        sku.Receive(10, "receipt-1");

        var retry = sku.Reserve("o1", "l1", 2);

        Assert.Empty(retry.Events);
        Assert.Equal(LineStatus.Rejected, retry.Reply.Line!.Status);
        Assert.Equal(new StockLevels(10, 0, 0), sku.Levels);
    }

    [Fact]
    public void AllowBackorder_reserves_what_is_available_backorders_the_rest_and_records_a_sale_beyond_stock_incident()
    {
        var sku = new SkuScenario();
        sku.Count(3, "count-1");

        var d = sku.Reserve("o1", "l1", 5, allowBackorder: true, channel: "amazon");

        Assert.Equal(SkuResultCode.Ok, d.Reply.Code);
        Assert.Equal(new ReservationOutcome("o1", "l1", 5, LineStatus.Backordered, LineState.Open, 3, 2), d.Reply.Line);
        Assert.Equal(new StockLevels(3, 3, 2), sku.Levels);
        Assert.Equal(0, sku.Levels.Available);
        Assert.Collection(d.Events,
            e => Assert.Equal("backordered", KindOf(e)),
            e =>
            {
                var incident = Assert.IsType<OversellRecorded>(e).Incident;
                Assert.Equal(OversellCauses.SaleBeyondStock, incident.Cause);
                Assert.Equal(2, incident.BackorderedQuantity);
                Assert.Equal("amazon", incident.Channel);
                Assert.Equal([new Reallocation("o1", "l1", -2)], incident.Lines);
            });
        Assert.Equal(new ReservationKey("o1", "l1"), Assert.Single(sku.State.Backorders).Value);
    }

    [Fact]
    public void AllowBackorder_on_a_reservation_that_fits_is_a_plain_reservation_without_incident()
    {
        var sku = new SkuScenario();
        sku.Count(5, "count-1");

        var d = sku.Reserve("o1", "l1", 5, allowBackorder: true);

        Assert.Equal(LineStatus.Reserved, d.Reply.Line!.Status);
        Assert.DoesNotContain(d.Events, e => e is OversellRecorded);
        Assert.Equal(new StockLevels(5, 5, 0), sku.Levels);
    }

    [Fact]
    public void Receipt_fills_backorders_oldest_first()
    {
        var sku = new SkuScenario();
        sku.Reserve("o1", "l1", 2, allowBackorder: true);
        sku.Reserve("o2", "l1", 3, allowBackorder: true);
        sku.Reserve("o3", "l1", 4, allowBackorder: true);
        Assert.Equal(new StockLevels(0, 0, 9), sku.Levels);

        var d = sku.Receive(4, "receipt-1");

        var adjusted = Assert.IsType<StockAdjusted>(Assert.Single(d.Events));
        Assert.Equal([new Reallocation("o1", "l1", 2), new Reallocation("o2", "l1", 2)], adjusted.Reallocations);
        Assert.Equal(new StockLevels(4, 4, 5), sku.Levels);
        Assert.Equal((2L, 0L), (sku.Open("o1", "l1").ReservedQuantity, sku.Open("o1", "l1").BackorderedQuantity));
        Assert.Equal((2L, 1L), (sku.Open("o2", "l1").ReservedQuantity, sku.Open("o2", "l1").BackorderedQuantity));
        Assert.Equal((0L, 4L), (sku.Open("o3", "l1").ReservedQuantity, sku.Open("o3", "l1").BackorderedQuantity));
        Assert.Equal([new ReservationKey("o2", "l1"), new ReservationKey("o3", "l1")], sku.State.Backorders.Values);
        // A filled line keeps its original status but can now be dispatched.
        Assert.Equal(LineStatus.Backordered, sku.Find("o1", "l1")!.Status);
        Assert.Equal(SkuResultCode.Ok, sku.Dispatch("o1", "l1").Reply.Code);
    }

    [Fact]
    public void Receipt_beyond_all_backorders_fills_them_all_and_leaves_the_rest_available()
    {
        var sku = new SkuScenario();
        sku.Reserve("o1", "l1", 2, allowBackorder: true);

        var d = sku.Receive(10, "receipt-1");

        Assert.Equal([new Reallocation("o1", "l1", 2)], Assert.IsType<StockAdjusted>(Assert.Single(d.Events)).Reallocations);
        Assert.Equal(new StockLevels(10, 2, 0), sku.Levels);
        Assert.Empty(sku.State.Backorders);
    }

    [Fact]
    public void Stock_count_below_reserved_moves_the_newest_reservations_to_backorder_with_a_count_below_reserved_incident()
    {
        var sku = new SkuScenario();
        sku.Count(10, "count-1");
        sku.Reserve("old", "l1", 3);
        sku.Reserve("mid", "l1", 3);
        sku.Reserve("new", "l1", 3);

        var d = sku.Count(4, "count-2");

        Assert.Equal(SkuResultCode.Ok, d.Reply.Code);
        Assert.Equal(new StockLevels(4, 4, 5), sku.Levels);
        var moves = new[] { new Reallocation("new", "l1", -3), new Reallocation("mid", "l1", -2) };
        Assert.Collection(d.Events,
            e => Assert.Equal(moves, Assert.IsType<StockCounted>(e).Reallocations),
            e =>
            {
                var incident = Assert.IsType<OversellRecorded>(e).Incident;
                Assert.Equal(OversellCauses.CountBelowReserved, incident.Cause);
                Assert.Equal(5, incident.BackorderedQuantity);
                Assert.Equal(moves, incident.Lines);
                Assert.Equal("count-2", incident.Reference);
                Assert.Null(incident.Channel);
            });
        Assert.Equal((3L, 0L), (sku.Open("old", "l1").ReservedQuantity, sku.Open("old", "l1").BackorderedQuantity));
        Assert.Equal((1L, 2L), (sku.Open("mid", "l1").ReservedQuantity, sku.Open("mid", "l1").BackorderedQuantity));
        Assert.Equal((0L, 3L), (sku.Open("new", "l1").ReservedQuantity, sku.Open("new", "l1").BackorderedQuantity));
        Assert.Equal([new ReservationKey("mid", "l1"), new ReservationKey("new", "l1")], sku.State.Backorders.Values);
        // Status is the original answer; the split is current.
        Assert.Equal(LineStatus.Reserved, sku.Find("new", "l1")!.Status);
    }

    [Fact]
    public void Stock_count_to_zero_backorders_every_reservation()
    {
        var sku = new SkuScenario();
        sku.Count(5, "count-1");
        sku.Reserve("o1", "l1", 2);
        sku.Reserve("o2", "l1", 3);

        sku.Count(0, "count-2");

        Assert.Equal(new StockLevels(0, 0, 5), sku.Levels);
        Assert.Equal(2, sku.State.Backorders.Count);
    }

    [Fact]
    public void Stock_count_at_or_above_reserved_records_no_incident_and_fills_backorders_oldest_first()
    {
        var sku = new SkuScenario();
        sku.Reserve("o1", "l1", 2, allowBackorder: true);
        sku.Reserve("o2", "l1", 2, allowBackorder: true);

        var d = sku.Count(3, "count-1");

        var counted = Assert.IsType<StockCounted>(Assert.Single(d.Events));
        Assert.Equal([new Reallocation("o1", "l1", 2), new Reallocation("o2", "l1", 1)], counted.Reallocations);
        Assert.Equal(new StockLevels(3, 3, 1), sku.Levels);
    }

    [Fact]
    public void Stock_count_is_always_accepted_and_the_same_reference_again_changes_nothing()
    {
        var sku = new SkuScenario();
        sku.Count(7, "count-1");
        sku.Receive(3, "receipt-1");

        var retry = sku.Count(7, "count-1");

        Assert.Equal(SkuResultCode.Ok, retry.Reply.Code);
        Assert.Empty(retry.Events);
        Assert.Equal(new StockLevels(10, 0, 0), sku.Levels);
    }

    [Fact]
    public void Write_off_within_available_lowers_on_hand()
    {
        var sku = new SkuScenario();
        sku.Count(10, "count-1");
        sku.Reserve("o1", "l1", 4);

        var d = sku.WriteOff(6, "damaged-1");

        Assert.Equal(SkuResultCode.Ok, d.Reply.Code);
        Assert.Equal("written-off", KindOf(Assert.Single(d.Events)));
        Assert.Equal(new StockLevels(4, 4, 0), sku.Levels);
    }

    [Fact]
    public void Write_off_below_reserved_is_a_conflict_and_the_same_reference_again_gets_the_same_conflict()
    {
        var sku = new SkuScenario();
        sku.Count(10, "count-1");
        sku.Reserve("o1", "l1", 8);

        var first = sku.WriteOff(3, "damaged-1");

        Assert.Equal(SkuResultCode.Conflict, first.Reply.Code);
        Assert.Contains("below the 8 reserved", first.Reply.Detail);
        var refused = Assert.IsType<AdjustmentRefused>(Assert.Single(first.Events));
        Assert.Equal(first.Reply.Detail, refused.Reason);
        Assert.Equal(new StockLevels(10, 8, 0), sku.Levels);

        var again = sku.WriteOff(3, "damaged-1");
        Assert.Empty(again.Events);
        Assert.Equal(first.Reply, again.Reply);

        // Still the first answer once the write-off would fit: a retry is never applied late.
        sku.Cancel("o1", "l1");
        var later = sku.WriteOff(3, "damaged-1");
        Assert.Empty(later.Events);
        Assert.Equal(SkuResultCode.Conflict, later.Reply.Code);
        Assert.Equal(first.Reply.Detail, later.Reply.Detail);
        Assert.Equal(new StockLevels(10, 0, 0), sku.Levels);
    }

    [Fact]
    public void Write_off_below_zero_with_nothing_reserved_is_a_conflict()
    {
        var sku = new SkuScenario();
        sku.Count(2, "count-1");

        var d = sku.WriteOff(3, "damaged-1");

        Assert.Equal(SkuResultCode.Conflict, d.Reply.Code);
        Assert.Equal(new StockLevels(2, 0, 0), sku.Levels);
    }

    [Fact]
    public void Reference_reused_for_a_different_stock_change_is_a_conflict_and_changes_nothing()
    {
        var sku = new SkuScenario();
        sku.Receive(5, "ref-1");

        var otherDelta = sku.Receive(6, "ref-1");
        var otherKind = sku.Count(5, "ref-1");

        Assert.Equal(SkuResultCode.Conflict, otherDelta.Reply.Code);
        Assert.Equal(SkuResultCode.Conflict, otherKind.Reply.Code);
        Assert.Contains("already used for a different stock change", otherKind.Reply.Detail);
        Assert.Empty(otherDelta.Events);
        Assert.Empty(otherKind.Events);
        Assert.Equal(new StockLevels(5, 0, 0), sku.Levels);
    }

    [Fact]
    public void Dispatch_of_a_backordered_line_is_a_conflict_until_a_receipt_fills_it()
    {
        var sku = new SkuScenario();
        sku.Count(1, "count-1");
        sku.Reserve("o1", "l1", 3, allowBackorder: true);

        var refused = sku.Dispatch("o1", "l1");

        Assert.Equal(SkuResultCode.Conflict, refused.Reply.Code);
        Assert.Empty(refused.Events);
        Assert.Equal(new ReservationOutcome("o1", "l1", 3, LineStatus.Backordered, LineState.Open, 1, 2), refused.Reply.Line);
        Assert.Equal(new StockLevels(1, 1, 2), sku.Levels);

        sku.Receive(2, "receipt-1");
        var dispatched = sku.Dispatch("o1", "l1");
        Assert.Equal(SkuResultCode.Ok, dispatched.Reply.Code);
        Assert.Equal(new StockLevels(0, 0, 0), sku.Levels);
    }

    [Fact]
    public void Dispatch_lowers_on_hand_and_reserved_and_keeps_available()
    {
        var sku = new SkuScenario();
        sku.Count(10, "count-1");
        sku.Reserve("o1", "l1", 4);

        var d = sku.Dispatch("o1", "l1");

        Assert.Equal(SkuResultCode.Ok, d.Reply.Code);
        var dispatched = Assert.IsType<ReservationDispatched>(Assert.Single(d.Events));
        Assert.Equal(4, dispatched.Quantity);
        Assert.Equal(new StockLevels(6, 0, 0), sku.Levels);
        Assert.Equal(6, sku.Levels.Available);
        Assert.Equal(new ReservationOutcome("o1", "l1", 4, LineStatus.Reserved, LineState.Dispatched, 4, 0), d.Reply.Line);
        Assert.Empty(sku.State.Open);

        var retry = sku.Dispatch("o1", "l1");
        Assert.Empty(retry.Events);
        Assert.Equal(d.Reply, retry.Reply);
    }

    [Fact]
    public void Cancel_releases_the_line_and_fills_other_lines_backorders_oldest_first()
    {
        var sku = new SkuScenario();
        sku.Count(4, "count-1");
        sku.Reserve("o1", "l1", 4);
        sku.Reserve("o2", "l1", 2, allowBackorder: true);
        sku.Reserve("o3", "l1", 3, allowBackorder: true);
        Assert.Equal(new StockLevels(4, 4, 5), sku.Levels);

        var d = sku.Cancel("o1", "l1");

        Assert.Equal(SkuResultCode.Ok, d.Reply.Code);
        var cancelled = Assert.IsType<ReservationCancelled>(Assert.Single(d.Events));
        Assert.Equal([new Reallocation("o2", "l1", 2), new Reallocation("o3", "l1", 2)], cancelled.Reallocations);
        Assert.Equal(new StockLevels(4, 4, 1), sku.Levels);
        Assert.Equal(new ReservationOutcome("o1", "l1", 4, LineStatus.Reserved, LineState.Cancelled, 4, 0), d.Reply.Line);
        Assert.Equal([new ReservationKey("o3", "l1")], sku.State.Backorders.Values);
    }

    [Fact]
    public void Cancel_of_a_backordered_line_releases_its_backorder_without_filling_itself()
    {
        var sku = new SkuScenario();
        sku.Count(2, "count-1");
        sku.Reserve("o1", "l1", 5, allowBackorder: true);
        sku.Reserve("o2", "l1", 1, allowBackorder: true);

        var d = sku.Cancel("o1", "l1");

        var cancelled = Assert.IsType<ReservationCancelled>(Assert.Single(d.Events));
        Assert.Equal([new Reallocation("o2", "l1", 1)], cancelled.Reallocations);
        Assert.Equal(new StockLevels(2, 1, 0), sku.Levels);
        Assert.Empty(sku.State.Backorders);
        Assert.Equal(new ReservationOutcome("o1", "l1", 5, LineStatus.Backordered, LineState.Cancelled, 2, 3), d.Reply.Line);
    }

    [Fact]
    public void Cancel_twice_answers_the_cancelled_line_and_changes_nothing_the_second_time()
    {
        var sku = new SkuScenario();
        sku.Count(5, "count-1");
        sku.Reserve("o1", "l1", 2);
        var first = sku.Cancel("o1", "l1");

        var again = sku.Cancel("o1", "l1");

        Assert.Empty(again.Events);
        Assert.Equal(first.Reply, again.Reply);
        Assert.Equal(new StockLevels(5, 0, 0), sku.Levels);
    }

    [Fact]
    public void Cancel_after_dispatch_and_dispatch_after_cancel_are_conflicts()
    {
        var sku = new SkuScenario();
        sku.Count(5, "count-1");
        sku.Reserve("shipped", "l1", 1);
        sku.Reserve("cancelled", "l1", 1);
        sku.Dispatch("shipped", "l1");
        sku.Cancel("cancelled", "l1");
        var levels = sku.Levels;

        var cancelShipped = sku.Cancel("shipped", "l1");
        var dispatchCancelled = sku.Dispatch("cancelled", "l1");

        Assert.Equal(SkuResultCode.Conflict, cancelShipped.Reply.Code);
        Assert.Equal(LineState.Dispatched, cancelShipped.Reply.Line!.State);
        Assert.Equal(SkuResultCode.Conflict, dispatchCancelled.Reply.Code);
        Assert.Contains("cancelled", dispatchCancelled.Reply.Detail);
        Assert.Empty(cancelShipped.Events);
        Assert.Empty(dispatchCancelled.Events);
        Assert.Equal(levels, sku.Levels);
    }

    [Fact]
    public void Dispatch_of_a_rejected_line_is_a_conflict()
    {
        var sku = new SkuScenario();
        sku.Reserve("o1", "l1", 1);

        var d = sku.Dispatch("o1", "l1");

        Assert.Equal(SkuResultCode.Conflict, d.Reply.Code);
        Assert.Contains("rejected", d.Reply.Detail);
        Assert.Empty(d.Events);
    }

    [Fact]
    public void Cancel_or_dispatch_of_an_unknown_line_is_not_found()
    {
        var sku = new SkuScenario();
        sku.Count(5, "count-1");

        Assert.Equal(SkuResultCode.NotFound, sku.Cancel("nope", "l1").Reply.Code);
        Assert.Equal(SkuResultCode.NotFound, sku.Dispatch("nope", "l1").Reply.Code);
        Assert.Single(sku.History);
    }

    [Fact]
    public void Same_line_with_a_different_quantity_is_a_conflict_and_changes_nothing()
    {
        var sku = new SkuScenario();
        sku.Count(10, "count-1");
        var first = sku.Reserve("o1", "l1", 2);

        var d = sku.Reserve("o1", "l1", 3);

        Assert.Equal(SkuResultCode.Conflict, d.Reply.Code);
        Assert.Empty(d.Events);
        Assert.Equal(first.Reply.Line, d.Reply.Line);
        Assert.Equal(new StockLevels(10, 2, 0), sku.Levels);
    }

    [Fact]
    public void Same_line_with_a_different_channel_is_a_conflict_and_changes_nothing()
    {
        var sku = new SkuScenario();
        sku.Count(10, "count-1");
        sku.Reserve("o1", "l1", 2, channel: "ebay");

        var d = sku.Reserve("o1", "l1", 2, channel: "amazon");

        Assert.Empty(d.Events);
        Assert.Equal(SkuResultCode.Conflict, d.Reply.Code);
    }

    [Fact]
    public void Same_line_with_a_different_allowBackorder_is_a_conflict_and_changes_nothing()
    {
        var sku = new SkuScenario();
        sku.Count(1, "count-1");
        sku.Reserve("o1", "l1", 3, allowBackorder: false); // rejected

        var d = sku.Reserve("o1", "l1", 3, allowBackorder: true);

        Assert.Empty(d.Events);
        Assert.Equal(new StockLevels(1, 0, 0), sku.Levels);
        Assert.Equal(SkuResultCode.Conflict, d.Reply.Code);
    }

    [Fact]
    public void Closed_window_eviction_forgets_the_oldest_closed_lines()
    {
        var sku = new SkuScenario(new SkuLimits(ClosedReservationWindow: 2, ReferenceWindow: 10));
        sku.Count(10, "count-1");
        sku.Reserve("o1", "l1", 1);
        sku.Reserve("o2", "l1", 1);
        sku.Reserve("o3", "l1", 1);
        sku.Cancel("o1", "l1");
        sku.Dispatch("o2", "l1");
        Assert.NotNull(sku.Find("o1", "l1"));

        sku.Cancel("o3", "l1");

        Assert.Null(sku.Find("o1", "l1"));
        Assert.Equal(LineState.Dispatched, sku.Find("o2", "l1")!.State);
        Assert.Equal(LineState.Cancelled, sku.Find("o3", "l1")!.State);
        Assert.Equal([new ReservationKey("o2", "l1"), new ReservationKey("o3", "l1")], sku.State.ClosedOrder);
        Assert.Equal(SkuResultCode.NotFound, sku.Cancel("o1", "l1").Reply.Code);
        // Beyond the window a retry is a new line: the window is what bounds idempotency.
        Assert.Equal(LineState.Open, sku.Reserve("o1", "l1", 1).Reply.Line!.State);
    }

    [Fact]
    public void Closed_window_holds_rejected_lines_too_and_never_forgets_open_ones()
    {
        var sku = new SkuScenario(new SkuLimits(ClosedReservationWindow: 1, ReferenceWindow: 10));
        sku.Count(1, "count-1");
        sku.Reserve("open", "l1", 1);
        sku.Reserve("r1", "l1", 1);
        sku.Reserve("r2", "l1", 1);

        Assert.Null(sku.Find("r1", "l1"));
        Assert.Equal(LineStatus.Rejected, sku.Find("r2", "l1")!.Status);
        Assert.Equal(LineState.Open, sku.Find("open", "l1")!.State);
    }

    [Fact]
    public void Reference_window_eviction_forgets_the_oldest_references()
    {
        var sku = new SkuScenario(new SkuLimits(ClosedReservationWindow: 10, ReferenceWindow: 2));
        sku.Receive(1, "r1");
        sku.Receive(1, "r2");
        sku.Receive(1, "r3");

        Assert.Equal(["r2", "r3"], sku.State.References.Keys.Order());
        Assert.Empty(sku.Receive(1, "r2").Events);
        var forgotten = sku.Receive(1, "r1");
        Assert.Single(forgotten.Events); // beyond the window the reference is new again
        Assert.Equal(4, sku.Levels.OnHand);
    }

    public static TheoryData<ISkuCommand, string> InvalidCommands => new()
    {
        { new CountStock(Sku, -1, "ref", "count"), "onHand" },
        { new CountStock(Sku, 1, "", "count"), "reference" },
        { new CountStock("", 1, "ref", "count"), "sku" },
        { new AdjustStock(Sku, 0, "ref", "wms"), "delta" },
        { new AdjustStock(Sku, 1, new string('r', 201), "wms"), "reference" },
        { new Reserve(Sku, "o1", "l1", 0, false, "ebay"), "quantity" },
        { new Reserve(Sku, "o1", "l1", InputRules.MaxLineQuantity + 1, true, "ebay"), "quantity" },
        { new Reserve(Sku, " ", "l1", 1, false, "ebay"), "orderId" },
        { new Reserve(Sku, "o1", "l\n1", 1, false, "ebay"), "lineId" },
        { new CancelReservation(Sku, "o1", ""), "lineId" },
        { new DispatchReservation(Sku, "", "l1"), "orderId" },
    };

    [Theory]
    [MemberData(nameof(InvalidCommands))]
    public void Invalid_command_is_answered_invalid_and_changes_nothing(ISkuCommand command, string field)
    {
        var sku = new SkuScenario();
        sku.Count(5, "count-1");
        var before = sku.State;

        var d = sku.Do(command);

        Assert.Equal(SkuResultCode.Invalid, d.Reply.Code);
        Assert.StartsWith(field, d.Reply.Detail);
        Assert.Empty(d.Events);
        Assert.Same(before, d.State);
    }

    [Fact]
    public void Recovery_from_the_history_restores_levels_open_reservations_and_windows()
    {
        var sku = new SkuScenario(new SkuLimits(3, 3));
        sku.Count(5, "count-1");
        sku.Reserve("o1", "l1", 3);
        sku.Reserve("o2", "l1", 4, allowBackorder: true);
        sku.Reserve("o3", "l1", 1);
        sku.Count(2, "count-2");
        sku.Receive(4, "receipt-1");
        sku.Cancel("o1", "l1");
        sku.WriteOff(5, "damaged-1");

        var recovered = SkuChecks.ApplyAll(SkuState.Empty(Sku, new SkuLimits(3, 3)), sku.History);

        Assert.Equal(SkuChecks.Snapshot(sku.State), SkuChecks.Snapshot(recovered));
        Assert.Equal(SkuResultCode.Conflict, SkuDecider.Decide(recovered, new AdjustStock(Sku, -5, "damaged-1", "wms"),
            SkuScenario.T0).Reply.Code);
    }
}
