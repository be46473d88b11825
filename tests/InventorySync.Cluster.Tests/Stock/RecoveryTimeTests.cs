using System.Diagnostics;
using InventorySync.Cluster.Tests.Support;
using InventorySync.Domain.Stock;
using Xunit.Abstractions;
using static InventorySync.Domain.Stock.SkuCommands;

namespace InventorySync.Cluster.Tests.Stock;

public class RecoveryTimeTests(ITestOutputHelper output)
{
    private const int Orders = 100_000;

    [Fact]
    public async Task A_sku_that_took_100000_orders_answers_its_first_request_after_a_restart_within_a_second()
    {
        var store = Stores.NewSqlite();
        const int stillOpen = 2_000;
        await using (var node = await TestNode.StartAsync(store))
        {
            await node.Client.Send(new CountStock("BIG", 1_000_000, "count-1", "test"));
            await Parallel.ForEachAsync(Enumerable.Range(0, Orders), new ParallelOptions { MaxDegreeOfParallelism = 256 },
                async (i, _) =>
                {
                    var reserved = await node.Client.Send(new Reserve("BIG", $"o{i}", "1", 1, false, "ebay"));
                    Assert.Equal(LineStatus.Reserved, reserved.Line!.Status);
                    if (i >= stillOpen) await node.Client.Send(new DispatchReservation("BIG", $"o{i}", "1"));
                });
            var levels = (await node.Client.GetSku("BIG")).Levels;
            Assert.Equal(new StockLevels(1_000_000 - (Orders - stillOpen), stillOpen, 0), levels);
        }

        await using (var node = await TestNode.StartAsync(store))
        {
            var clock = Stopwatch.StartNew();
            var view = await node.Client.GetSku("BIG");
            clock.Stop();
            output.WriteLine($"first answer after restart: {clock.ElapsedMilliseconds} ms (sequence nr {view.SequenceNr})");
            Assert.Equal(new StockLevels(1_000_000 - (Orders - stillOpen), stillOpen, 0), view.Levels);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"recovery took {clock.ElapsedMilliseconds} ms");
        }
    }
}
