using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InventorySync.Host.Tests.Support;

namespace InventorySync.Host.Tests.Node;

[Collection(NodeCollection.Name)]
public sealed class OrderPlacementTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Thirty_concurrent_single_unit_orders_against_ten_units_reserve_exactly_ten_and_reject_twenty()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 10);

        var orders = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => _http.PlaceOrder(Ids.Order(), sku, 1)));

        var statuses = orders.Select(o => o.Lines.Single().Status).ToList();
        Assert.Equal(10, statuses.Count(s => s == "reserved"));
        Assert.Equal(20, statuses.Count(s => s == "rejected"));
        Assert.Equal(new LevelsJson(10, 10, 0, 0), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task Resubmitted_order_gets_the_same_answer_and_reserves_nothing_more()
    {
        var sku = Ids.Sku();
        var orderId = Ids.Order();
        await _http.CountStock(sku, 5);

        var first = await _http.PlaceOrder(orderId, sku, 2);
        var again = await _http.PlaceOrder(orderId, sku, 2);

        Assert.Equal("reserved", first.Line("line-1").Status);
        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(again));
        Assert.Equal(new LevelsJson(5, 2, 0, 3), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task Same_order_id_with_another_quantity_is_409_and_changes_nothing()
    {
        var sku = Ids.Sku();
        var orderId = Ids.Order();
        await _http.CountStock(sku, 5);
        await _http.PlaceOrder(orderId, sku, 2);

        using var response = await _http.PostOrder(InventoryHttp.Order(orderId, sku, 3));

        await response.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(2, (await _http.GetOrder(orderId)).Line("line-1").Quantity);
        Assert.Equal(new LevelsJson(5, 2, 0, 3), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task Batch_answers_each_order_on_its_own_in_the_order_submitted()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 5);
        var placedBefore = Ids.Order();
        await _http.PlaceOrder(placedBefore, sku, 1);
        var (fits, invalid, tooBig) = (Ids.Order(), Ids.Order(), Ids.Order());

        using var response = await _http.PostAsJsonAsync("/api/v1/orders/batch", new
        {
            orders = new[]
            {
                InventoryHttp.Order(fits, sku, 2),
                InventoryHttp.Order(invalid, sku, 0),
                InventoryHttp.Order(placedBefore, sku, 3),
                InventoryHttp.Order(tooBig, sku, 100),
            },
        }, InventoryHttp.Json);

        var batch = await response.ReadOk<BatchJson>();
        Assert.Equal([200, 400, 409, 200], batch.Orders.Select(o => o.Status));
        Assert.Equal("reserved", batch.Orders[0].Order!.Line("line-1").Status);
        Assert.Equal(["lines[0].quantity"], batch.Orders[1].Problem!.Value.ErrorFields());
        Assert.False(string.IsNullOrEmpty(batch.Orders[2].Problem!.Value.GetProperty("detail").GetString()));
        Assert.Equal("rejected", batch.Orders[3].Order!.Line("line-1").Status);
        await _http.AssertOrderUnknown(invalid);
        Assert.Equal(new LevelsJson(5, 3, 0, 2), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task Unknown_order_is_404_problem_for_read_cancel_and_dispatch()
    {
        var orderId = Ids.Order();

        using var read = await _http.GetAsync($"/api/v1/orders/{orderId}");
        using var cancel = await _http.PostAsync($"/api/v1/orders/{orderId}/cancel", null);
        using var dispatch = await _http.PostAsync($"/api/v1/orders/{orderId}/dispatch", null);

        await read.AssertProblem(HttpStatusCode.NotFound);
        await cancel.AssertProblem(HttpStatusCode.NotFound);
        await dispatch.AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Answers_are_camel_case_json_with_lowercase_status_and_state()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 1);

        using var response = await _http.PostOrder(InventoryHttp.Order(Ids.Order(), sku, 1));

        await response.AssertStatus(HttpStatusCode.OK);
        var line = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("lines")[0];
        Assert.Equal(
            ["lineId", "sku", "quantity", "status", "state", "reservedQuantity", "backorderedQuantity"],
            line.EnumerateObject().Select(p => p.Name));
        Assert.Equal("reserved", line.GetProperty("status").GetString());
        Assert.Equal("open", line.GetProperty("state").GetString());
    }
}
