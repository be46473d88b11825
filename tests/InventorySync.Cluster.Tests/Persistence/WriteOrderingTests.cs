using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.TestKit.Xunit2;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Orders;
using InventorySync.Cluster.Stock;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;
using Xunit.Abstractions;
using static InventorySync.Domain.Stock.SkuCommands;

namespace InventorySync.Cluster.Tests.Persistence;

/// <summary>
/// Against a journal that holds every write until the test releases it: no reply may precede the write it depends on.
/// </summary>
public class WriteOrderingTests : TestKit
{
    private static readonly Config TestJournalConfig = ConfigurationFactory.ParseString("""
        akka.persistence {
          journal {
            plugin = "akka.persistence.journal.test"
            auto-start-journals = ["akka.persistence.journal.test"]
            test { class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
                   plugin-dispatcher = "akka.actor.default-dispatcher" }
          }
          snapshot-store {
            plugin = "akka.persistence.snapshot-store.test"
            auto-start-snapshot-stores = ["akka.persistence.snapshot-store.test"]
            test { class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
                   plugin-dispatcher = "akka.actor.default-dispatcher" }
          }
        }
        """);

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly ITestJournal _journal;

    public WriteOrderingTests(ITestOutputHelper output) : base(TestJournalConfig, output: output)
    {
        _journal = TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));
    }

    [Fact]
    public async Task Sku_replies_only_after_its_events_are_written()
    {
        var gate = new WriteGate();
        await _journal.OnWrite.SetInterceptorAsync(gate);
        var sku = Sys.ActorOf(SkuEntity.Props("GATED", new SkuSettings(), TimeProvider.System));

        sku.Tell(new CountStock("GATED", 5, "count-1", "test"));
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // Decided on the unwritten count (apply on decision), but held back with it.
        sku.Tell(new Reserve("GATED", "o1", "l1", 2, false, "ebay"));
        sku.Tell(new SkuQueries.GetSku("GATED"));
        ExpectNoMsg(Quiet);

        gate.Open();
        var counted = ExpectMsg<SkuReply>();
        Assert.Equal(new StockLevels(5, 0, 0), counted.Levels);
        var reserved = ExpectMsg<SkuReply>();
        Assert.Equal(LineStatus.Reserved, reserved.Line!.Status);
        Assert.Equal(new StockLevels(5, 2, 0), ExpectMsg<SkuView>().Levels);
    }

    [Fact]
    public async Task A_rejection_decided_on_unwritten_events_waits_for_them()
    {
        var gate = new WriteGate();
        await _journal.OnWrite.SetInterceptorAsync(gate);
        var sku = Sys.ActorOf(SkuEntity.Props("REJ", new SkuSettings(), TimeProvider.System));
        sku.Tell(new CountStock("REJ", 1, "count-1", "test"));
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        sku.Tell(new Reserve("REJ", "o1", "l1", 1, false, "ebay"));
        // Same line again: answered from memory, but only once the reservation it repeats is written.
        sku.Tell(new Reserve("REJ", "o1", "l1", 1, false, "ebay"));
        ExpectNoMsg(Quiet);
        gate.Open();
        ExpectMsg<SkuReply>();
        Assert.Equal(LineStatus.Reserved, ExpectMsg<SkuReply>().Line!.Status);
        Assert.Equal(LineStatus.Reserved, ExpectMsg<SkuReply>().Line!.Status);
    }

    [Fact]
    public async Task Hand_off_waits_for_pending_writes_and_their_replies_before_stopping()
    {
        var gate = new WriteGate();
        await _journal.OnWrite.SetInterceptorAsync(gate);
        var sku = Sys.ActorOf(SkuEntity.Props("HANDOFF", new SkuSettings(), TimeProvider.System));
        Watch(sku);

        sku.Tell(new CountStock("HANDOFF", 3, "count-1", "test"));
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        sku.Tell(Cluster.Persistence.StopEntity.Instance);
        ExpectNoMsg(Quiet); // neither the reply nor Terminated while the write is pending

        gate.Open();
        Assert.Equal(new StockLevels(3, 0, 0), ExpectMsg<SkuReply>().Levels);
        ExpectTerminated(sku);
    }

    [Fact]
    public async Task A_failed_write_stops_the_sku_unacknowledged_and_recovery_shows_nothing_of_it()
    {
        await _journal.OnWrite.Fail();
        var sku = Sys.ActorOf(SkuEntity.Props("FAIL", new SkuSettings(), TimeProvider.System));
        Watch(sku);
        sku.Tell(new CountStock("FAIL", 5, "count-1", "test"));
        ExpectTerminated(sku);

        await _journal.OnWrite.Pass();
        var again = Sys.ActorOf(SkuEntity.Props("FAIL", new SkuSettings(), TimeProvider.System));
        again.Tell(new SkuQueries.GetSku("FAIL"));
        var view = ExpectMsg<SkuView>();
        Assert.False(view.Exists);
        Assert.Equal(StockLevels.Empty, view.Levels);
    }

    [Fact]
    public async Task Ledger_records_an_order_before_asking_its_skus_and_replies_after_recording_the_outcome()
    {
        var skus = CreateTestProbe();
        var gate = new WriteGate();
        await _journal.OnWrite.SetInterceptorAsync(gate);
        var ledger = Sys.ActorOf(OrderLedgerPartition.Props(0, new LedgerSettings(), TimeProvider.System, () => skus.Ref));

        ledger.Tell(new LedgerCommands.PlaceOrder(new OrderRequest("o-1", "ebay", false, [new OrderLine("1", "A", 1)])));
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        skus.ExpectNoMsg(Quiet); // OrderReceived is not written yet: no SKU is asked

        gate.Open();
        gate.Close(); // hold the next write (the outcome)
        var reserve = skus.ExpectMsg<SkuLineRequest>();
        Assert.Equal((LineAction.Reserve, "o-1", "1", 1L), (reserve.Action, reserve.OrderId, reserve.LineId, reserve.Quantity));
        skus.Reply(new SkuLineReply(reserve.Id, new SkuReply("A", SkuResultCode.Ok, null, new StockLevels(1, 1, 0),
            new ReservationOutcome("o-1", "1", 1, LineStatus.Reserved, LineState.Open, 1, 0))));
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        ExpectNoMsg(Quiet); // the outcome is not written yet: no answer

        gate.Open();
        var reply = ExpectMsg<OrderReply>();
        Assert.Equal(OrderResultCode.Ok, reply.Code);
        Assert.Equal(LineStatus.Reserved, reply.Order!.Lines[0].Status);
    }

    /// <summary>Holds writes until opened; <see cref="Entered"/> completes when a write is held.</summary>
    private sealed class WriteGate : IJournalInterceptor
    {
        private TaskCompletionSource _open = New();

        public TaskCompletionSource Entered { get; private set; } = New();

        public async Task InterceptAsync(IPersistentRepresentation message)
        {
            var open = _open;
            Entered.TrySetResult();
            await open.Task;
        }

        public void Open() => _open.TrySetResult();

        /// <summary>Holds the writes that start from now on.</summary>
        public void Close()
        {
            _open = New();
            Entered = New();
        }

        private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
