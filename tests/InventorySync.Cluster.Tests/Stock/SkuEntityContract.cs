using System.Data.Common;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Tests.Support;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;
using Microsoft.Data.Sqlite;
using Npgsql;
using static InventorySync.Domain.Stock.SkuCommands;

namespace InventorySync.Cluster.Tests.Stock;

/// <summary>SKU entity and ledger behaviour on a real store, run once per supported store.</summary>
public abstract class SkuEntityContract
{
    protected abstract Task<PersistenceSettings> NewStore();

    [Fact]
    public async Task Concurrent_reservations_on_one_sku_never_exceed_its_stock()
    {
        await using var node = await TestNode.StartAsync(await NewStore());
        await node.Client.Send(new CountStock("HOT", 50, "count-1", "test"));

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            node.Client.Send(new Reserve("HOT", $"o{i}", "1", 1, false, "ebay"))));

        Assert.Equal(50, replies.Count(r => r.Line!.Status == LineStatus.Reserved));
        Assert.Equal(150, replies.Count(r => r.Line!.Status == LineStatus.Rejected));
        Assert.All(replies, r => Assert.True(r.Levels.IsConsistent));
        Assert.Equal(new StockLevels(50, 50, 0), (await node.Client.GetSku("HOT")).Levels);
    }

    [Fact]
    public async Task Acknowledged_commands_survive_a_restart_and_retries_get_their_first_answer()
    {
        var store = await NewStore();
        ISkuCommand[] commands =
        [
            new CountStock("S", 10, "count-1", "test"),
            new Reserve("S", "o1", "1", 4, false, "ebay"),
            new Reserve("S", "o2", "1", 10, true, "amazon"),
            new Reserve("S", "o3", "1", 1, false, "ebay"),
            new AdjustStock("S", 2, "receipt-1", "test"),
            new AdjustStock("S", -20, "writeoff-1", "test"),
            new CancelReservation("S", "o1", "1"),
            new DispatchReservation("S", "o2", "1"),
        ];
        var first = new List<SkuReply>();
        long sequenceNr;
        await using (var node = await TestNode.StartAsync(store))
        {
            foreach (var command in commands) first.Add(await node.Client.Send(command));
            sequenceNr = (await node.Client.GetSku("S")).SequenceNr;
        }

        Assert.Equal(LineStatus.Backordered, first[2].Line!.Status);
        Assert.Equal((6L, 4L), (first[2].Line!.ReservedQuantity, first[2].Line!.BackorderedQuantity));
        Assert.Equal(SkuResultCode.Conflict, first[5].Code);

        await using (var node = await TestNode.StartAsync(store))
        {
            var recovered = await node.Client.GetSku("S");
            Assert.Equal(first[^1].Levels, recovered.Levels);
            Assert.Equal(sequenceNr, recovered.SequenceNr);

            for (var i = 0; i < commands.Length; i++)
            {
                var again = await node.Client.Send(commands[i]);
                Assert.Equal(first[i].Code, again.Code);
                Assert.Equal(first[i].Line?.Status, again.Line?.Status);
                Assert.Equal(first[i].Detail, again.Detail);
            }
            var after = await node.Client.GetSku("S");
            Assert.Equal(sequenceNr, after.SequenceNr);
            Assert.Equal(recovered.Levels, after.Levels);
        }
    }

    [Fact]
    public async Task Snapshots_are_taken_every_n_events_and_older_ones_deleted_while_events_stay()
    {
        var store = await NewStore();
        await using (var node = await TestNode.StartAsync(store, s => s.Sku.SnapshotEvery = 10))
        {
            await node.Client.Send(new CountStock("SNAP", 1_000, "count-1", "test"));
            for (var i = 0; i < 54; i++) await node.Client.Send(new Reserve("SNAP", $"o{i}", "1", 1, false, "ebay"));
            await Await.Until(async () => await Count(store, "snapshot", "sku-SNAP") == 1 &&
                                          await MaxSnapshotSequenceNr(store, "sku-SNAP") >= 30,
                TimeSpan.FromSeconds(10), "exactly one snapshot left, a recent one (the ones at events 10 and 20 deleted)");
            Assert.Equal(55, await Count(store, "journal", "sku-SNAP"));
        }
        await using (var node = await TestNode.StartAsync(store, s => s.Sku.SnapshotEvery = 10))
        {
            var view = await node.Client.GetSku("SNAP");
            Assert.Equal(new StockLevels(1_000, 54, 0), view.Levels);
            var replay = await node.Client.Send(new Reserve("SNAP", "o3", "1", 1, false, "ebay"));
            Assert.Equal(LineStatus.Reserved, replay.Line!.Status);
            Assert.Equal(54, (await node.Client.GetSku("SNAP")).Levels.Reserved);
        }
    }

    [Fact]
    public async Task Ledger_answers_a_resubmitted_order_with_its_recorded_answer_across_a_restart()
    {
        var store = await NewStore();
        var order = new OrderRequest("ord-1", "ebay", false, [new OrderLine("1", "L1", 3), new OrderLine("2", "L2", 5)]);
        OrderReplyView first;
        await using (var node = await TestNode.StartAsync(store))
        {
            await node.Client.Send(new CountStock("L1", 3, "c1", "test"));
            await node.Client.Send(new CountStock("L2", 4, "c2", "test"));
            first = OrderReplyView.Of(await node.Client.PlaceOrder(order));
        }
        Assert.Equal([LineStatus.Reserved, LineStatus.Rejected], first.Statuses);

        await using (var node = await TestNode.StartAsync(store))
        {
            Assert.Equal(first, OrderReplyView.Of(await node.Client.PlaceOrder(order)));
            Assert.Equal(first, OrderReplyView.Of(await node.Client.GetOrder("ord-1")));
            Assert.Equal(new StockLevels(3, 3, 0), (await node.Client.GetSku("L1")).Levels);
            var conflict = await node.Client.PlaceOrder(order with { Lines = [new OrderLine("1", "L1", 2), order.Lines[1]] });
            Assert.Equal(Orders.OrderResultCode.Conflict, conflict.Code);
            Assert.Equal(new StockLevels(3, 3, 0), (await node.Client.GetSku("L1")).Levels);
        }
    }

    [Fact]
    public async Task Ledger_routes_cancel_and_dispatch_to_each_lines_sku()
    {
        await using var node = await TestNode.StartAsync(await NewStore());
        await node.Client.Send(new CountStock("R1", 10, "c1", "test"));
        await node.Client.Send(new CountStock("R2", 10, "c2", "test"));
        var placed = await node.Client.PlaceOrder(
            new OrderRequest("route-1", "ebay", false, [new OrderLine("a", "R1", 2), new OrderLine("b", "R2", 3)]));
        Assert.All(placed.Order!.Lines, l => Assert.Equal(LineStatus.Reserved, l.Status));

        var dispatched = await node.Client.DispatchOrder("route-1", ["a"]);
        Assert.Equal(Orders.OrderResultCode.Ok, dispatched.Code);
        Assert.Equal([LineState.Dispatched, LineState.Open], dispatched.Order!.Lines.Select(l => l.State));
        Assert.Equal(new StockLevels(8, 0, 0), (await node.Client.GetSku("R1")).Levels);

        var cancelledAll = await node.Client.CancelOrder("route-1", null);
        Assert.Equal([LineState.Dispatched, LineState.Cancelled], cancelledAll.Order!.Lines.Select(l => l.State));
        Assert.Equal(new StockLevels(10, 0, 0), (await node.Client.GetSku("R2")).Levels);

        var cancelDispatched = await node.Client.CancelOrder("route-1", ["a"]);
        Assert.Equal(Orders.OrderResultCode.Conflict, cancelDispatched.Code);
        Assert.Equal(Orders.OrderResultCode.Invalid, (await node.Client.DispatchOrder("route-1", ["zz"])).Code);
        Assert.Equal(Orders.OrderResultCode.NotFound, (await node.Client.CancelOrder("no-such-order", null)).Code);
        Assert.Equal(new StockLevels(8, 0, 0), (await node.Client.GetSku("R1")).Levels);
    }

    [Fact]
    public async Task Dispatching_a_back_ordered_line_is_a_conflict_until_a_receipt_fills_it()
    {
        await using var node = await TestNode.StartAsync(await NewStore());
        await node.Client.Send(new CountStock("BO", 1, "c1", "test"));
        var placed = await node.Client.PlaceOrder(new OrderRequest("bo-1", "amazon", true,
            [new OrderLine("a", "BO", 3), new OrderLine("b", "BO2", 1)]));
        Assert.Equal((LineStatus.Backordered, 1L, 2L),
            (placed.Order!.Lines[0].Status, placed.Order.Lines[0].ReservedQuantity, placed.Order.Lines[0].BackorderedQuantity));

        var refused = await node.Client.DispatchOrder("bo-1", null);
        Assert.Equal(Orders.OrderResultCode.Conflict, refused.Code);
        Assert.Contains("back-order", refused.Detail);
        Assert.Equal(new StockLevels(1, 1, 2), (await node.Client.GetSku("BO")).Levels);
        Assert.Equal(new StockLevels(0, 0, 1), (await node.Client.GetSku("BO2")).Levels);

        await node.Client.Send(new AdjustStock("BO", 5, "receipt-1", "test"));
        var live = await node.Client.GetOrder("bo-1");
        Assert.Equal((3L, 0L), (live.Order!.Lines[0].ReservedQuantity, live.Order.Lines[0].BackorderedQuantity));
        await node.Client.Send(new AdjustStock("BO2", 1, "receipt-2", "test"));

        var shipped = await node.Client.DispatchOrder("bo-1", null);
        Assert.Equal(Orders.OrderResultCode.Ok, shipped.Code);
        Assert.Equal(new StockLevels(3, 0, 0), (await node.Client.GetSku("BO")).Levels);
    }

    [Fact]
    public async Task An_order_interrupted_before_its_skus_answered_is_finished_after_a_restart_without_a_retry()
    {
        var store = await NewStore();
        var order = new OrderRequest("interrupted-1", "ebay", false, [new OrderLine("1", "INT", 2)]);
        await using (var node = await TestNode.StartAsync(store))
        {
            await node.Client.Send(new CountStock("INT", 5, "c1", "test"));
        }
        var first = await InterruptedLedger.PlaceAndLoseTheAnswers(store, order);
        Assert.Equal(Orders.OrderResultCode.Unavailable, first.Code);
        Assert.Null(first.Order!.Lines[0].Status);

        await using (var node = await TestNode.StartAsync(store))
        {
            await Await.Until(async () => (await node.Client.GetOrder("interrupted-1")).Order!.IsDecided,
                TimeSpan.FromSeconds(20), "the ledger to finish the recorded order by itself");
            var finished = await node.Client.GetOrder("interrupted-1");
            Assert.Equal(LineStatus.Reserved, finished.Order!.Lines[0].Status);
            Assert.Equal(new StockLevels(5, 2, 0), (await node.Client.GetSku("INT")).Levels);
            Assert.Equal(Orders.OrderResultCode.Ok, (await node.Client.PlaceOrder(order)).Code);
            Assert.Equal(new StockLevels(5, 2, 0), (await node.Client.GetSku("INT")).Levels);
        }
    }

    [Fact]
    public async Task Closed_orders_leave_the_ledger_after_the_retention_window_and_open_ones_stay()
    {
        await using var node = await TestNode.StartAsync(await NewStore(), s => s.Ledger.Retention = TimeSpan.FromSeconds(1));
        await node.Client.Send(new CountStock("RET", 10, "c1", "test"));
        await node.Client.PlaceOrder(new OrderRequest("ret-closed", "ebay", false, [new OrderLine("1", "RET", 1)]));
        await node.Client.PlaceOrder(new OrderRequest("ret-open", "ebay", false, [new OrderLine("1", "RET", 1)]));
        await node.Client.CancelOrder("ret-closed", null);

        await Await.Until(async () => (await node.Client.GetOrder("ret-closed")).Code == Orders.OrderResultCode.NotFound,
            TimeSpan.FromSeconds(15), "the closed order to be forgotten");
        Assert.Equal(Orders.OrderResultCode.Ok, (await node.Client.GetOrder("ret-open")).Code);
        Assert.Equal(new StockLevels(10, 1, 0), (await node.Client.GetSku("RET")).Levels);
    }

    [Fact]
    public async Task Oversell_incidents_and_history_are_read_back_from_the_store()
    {
        await using var node = await TestNode.StartAsync(await NewStore());
        await node.Client.Send(new CountStock("INC", 2, "count-1", "wms"));
        await node.Client.Send(new Reserve("INC", "o1", "1", 5, true, "amazon"));
        await node.Client.Send(new CountStock("INC2", 0, "count-2", "wms"));
        await node.Client.Send(new Reserve("INC2", "o2", "1", 1, true, "ebay"));

        await Await.Until(async () => (await node.Client.Incidents(10)).Count(i => i.Sku.StartsWith("INC")) == 2,
            TimeSpan.FromSeconds(10), "both oversell incidents to be readable");
        var incidents = (await node.Client.Incidents(10)).Where(i => i.Sku.StartsWith("INC")).ToList();
        Assert.Equal(["INC2", "INC"], incidents.Select(i => i.Sku));
        Assert.Equal((OversellCauses.SaleBeyondStock, 3L, "amazon"),
            (incidents[1].Cause, incidents[1].BackorderedQuantity, incidents[1].Channel));

        var history = await node.Client.History("INC", 10);
        Assert.Equal(["oversell", "backordered", "stock-counted"], history.Select(h => h.Kind));
        Assert.Equal((new StockLevels(0, 0, 0), new StockLevels(2, 0, 0)), (history[2].Before, history[2].After));
        Assert.Equal((new StockLevels(2, 0, 0), new StockLevels(2, 2, 3)), (history[1].Before, history[1].After));
        Assert.Equal(("amazon", "o1/1"), (history[1].Source, history[1].Reference));
    }

    protected abstract DbConnection Connect(PersistenceSettings store);

    private async Task<long> Count(PersistenceSettings store, string table, string persistenceId) =>
        await Scalar(store, $"SELECT COUNT(*) FROM {table} WHERE persistence_id = '{persistenceId}'");

    private async Task<long> MaxSnapshotSequenceNr(PersistenceSettings store, string persistenceId) =>
        await Scalar(store, $"SELECT COALESCE(MAX(sequence_number), 0) FROM snapshot WHERE persistence_id = '{persistenceId}'");

    private async Task<long> Scalar(PersistenceSettings store, string sql)
    {
        await using var connection = Connect(store);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private sealed record OrderReplyView(Orders.OrderResultCode Code, string Lines)
    {
        public IReadOnlyList<LineStatus?> Statuses { get; init; } = [];

        public static OrderReplyView Of(Orders.OrderReply r) => new(r.Code,
            string.Join(";", r.Order!.Lines.Select(l => $"{l.LineId}:{l.Status}:{l.State}:{l.ReservedQuantity}:{l.BackorderedQuantity}")))
        {
            Statuses = r.Order!.Lines.Select(l => l.Status).ToList(),
        };

        public bool Equals(OrderReplyView? other) => other is not null && Code == other.Code && Lines == other.Lines;

        public override int GetHashCode() => HashCode.Combine(Code, Lines);
    }
}

public sealed class SkuEntityOnSqlite : SkuEntityContract
{
    protected override Task<PersistenceSettings> NewStore() => Task.FromResult(Stores.NewSqlite());

    protected override DbConnection Connect(PersistenceSettings store) => new SqliteConnection(store.ConnectionString);
}

[Collection(PostgresCollection.Name)]
public sealed class SkuEntityOnPostgres(PostgresFixture postgres) : SkuEntityContract
{
    protected override Task<PersistenceSettings> NewStore() => postgres.NewStore();

    protected override DbConnection Connect(PersistenceSettings store) => new NpgsqlConnection(store.ConnectionString);
}
