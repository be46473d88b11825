using InventorySync.Cluster.Tests.Support;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Tests.Stock;

public class SmokeTests
{
    [Fact]
    public async Task Node_takes_stock_and_an_order()
    {
        await using var node = await TestNode.StartAsync(Stores.NewSqlite());
        var count = await node.Client.Send(new SkuCommands.CountStock("A", 5, "r1", "test"));
        Assert.Equal(SkuResultCode.Ok, count.Code);
        var order = await node.Client.PlaceOrder(new OrderRequest("o1", "ebay", false, [new OrderLine("l1", "A", 2)]));
        Assert.Equal(LineStatus.Reserved, order.Order!.Lines[0].Status);
        var view = await node.Client.GetSku("A");
        Assert.Equal(new StockLevels(5, 2, 0), view.Levels);
        var history = await node.Client.History("A", 10);
        Assert.Equal(2, history.Count);
    }
}
