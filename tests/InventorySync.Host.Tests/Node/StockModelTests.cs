using System.Net;
using System.Net.Http.Json;
using InventorySync.Host.Tests.Support;

namespace InventorySync.Host.Tests.Node;

[Collection(NodeCollection.Name)]
public sealed class StockModelTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task Marketplace_sale_beyond_stock_is_backordered_with_an_incident_and_a_receipt_fills_it()
    {
        var sku = Ids.Sku();
        var orderId = Ids.Order();
        await _http.CountStock(sku, 3);

        var order = await _http.PlaceOrder(orderId, sku, 5, allowBackorder: true, channel: "ebay");

        var line = order.Line("line-1");
        Assert.Equal(("backordered", "open", 3L, 2L), (line.Status, line.State, line.ReservedQuantity, line.BackorderedQuantity));
        Assert.Equal(new LevelsJson(3, 3, 2, 0), (await _http.GetSku(sku)).Levels);
        var incident = (await IncidentsOf(sku, count: 1)).Single();
        Assert.Equal(("sale-beyond-stock", 2L, "ebay"), (incident.Cause, incident.BackorderedQuantity, incident.Channel));
        Assert.Equal([new IncidentLineJson(orderId, "line-1", 2)], incident.Lines);

        var afterReceipt = await _http.Adjust(sku, +2);

        Assert.Equal(new LevelsJson(5, 5, 0, 0), afterReceipt.Levels);
        var filled = (await _http.GetOrder(orderId)).Line("line-1");
        Assert.Equal(("backordered", "open", 5L, 0L), (filled.Status, filled.State, filled.ReservedQuantity, filled.BackorderedQuantity));
    }

    [Fact]
    public async Task Dispatch_of_a_backordered_line_is_409_and_changes_nothing()
    {
        var sku = Ids.Sku();
        var orderId = Ids.Order();
        await _http.CountStock(sku, 1);
        await _http.PlaceOrder(orderId, sku, 2, allowBackorder: true, channel: "amazon");

        using var response = await _http.PostAsync($"/api/v1/orders/{orderId}/dispatch", null);

        await response.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal("open", (await _http.GetOrder(orderId)).Line("line-1").State);
        Assert.Equal(new LevelsJson(1, 1, 1, 0), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task Write_off_below_reserved_is_409_and_changes_no_level()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 5);
        await _http.PlaceOrder(Ids.Order(), sku, 4);

        using var response = await _http.PostAdjustment(sku, $$"""{"delta":-2,"reference":"{{Ids.Reference()}}"}""");

        await response.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(new LevelsJson(5, 4, 0, 1), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task Adjustment_reference_reused_with_another_delta_is_409_and_the_first_is_applied_once()
    {
        var sku = Ids.Sku();
        var reference = Ids.Reference();
        await _http.CountStock(sku, 5);
        await _http.Adjust(sku, +1, reference);

        var retried = await _http.Adjust(sku, +1, reference);
        using var reused = await _http.PostAdjustment(sku, $$"""{"delta":2,"reference":"{{reference}}"}""");

        Assert.Equal(6, retried.OnHand);
        await reused.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(new LevelsJson(6, 0, 0, 6), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task Stock_count_below_reserved_backorders_the_newest_reservation_and_records_an_incident()
    {
        var sku = Ids.Sku();
        var (older, newer) = (Ids.Order(), Ids.Order());
        var countReference = Ids.Reference();
        await _http.CountStock(sku, 10);
        await _http.PlaceOrder(older, sku, 4);
        await _http.PlaceOrder(newer, sku, 4);

        var counted = await _http.CountStock(sku, 5, countReference);

        Assert.Equal(new LevelsJson(5, 5, 3, 0), counted.Levels);
        var olderLine = (await _http.GetOrder(older)).Line("line-1");
        var newerLine = (await _http.GetOrder(newer)).Line("line-1");
        Assert.Equal((4L, 0L), (olderLine.ReservedQuantity, olderLine.BackorderedQuantity));
        Assert.Equal((1L, 3L), (newerLine.ReservedQuantity, newerLine.BackorderedQuantity));
        var incident = (await IncidentsOf(sku, count: 1)).Single();
        Assert.Equal(("count-below-reserved", 3L, countReference), (incident.Cause, incident.BackorderedQuantity, incident.Reference));
        Assert.Equal([new IncidentLineJson(newer, "line-1", 3)], incident.Lines);
    }

    [Fact]
    public async Task Cancel_by_order_id_releases_the_reservation_and_a_repeat_answers_the_same()
    {
        var sku = Ids.Sku();
        var orderId = Ids.Order();
        await _http.CountStock(sku, 5);
        await _http.PlaceOrder(orderId, sku, 3);

        using var cancel = await _http.PostAsync($"/api/v1/orders/{orderId}/cancel", null);
        using var again = await _http.PostAsJsonAsync($"/api/v1/orders/{orderId}/cancel", new { lines = new[] { "line-1" } });

        Assert.Equal("cancelled", (await cancel.ReadOk<OrderJson>()).Line("line-1").State);
        Assert.Equal("cancelled", (await again.ReadOk<OrderJson>()).Line("line-1").State);
        Assert.Equal(new LevelsJson(5, 0, 0, 5), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task Dispatch_by_order_id_lowers_on_hand_and_reserved()
    {
        var sku = Ids.Sku();
        var orderId = Ids.Order();
        await _http.CountStock(sku, 5);
        await _http.PlaceOrder(orderId, sku, 3);

        using var dispatch = await _http.PostAsJsonAsync($"/api/v1/orders/{orderId}/dispatch", new { lines = new[] { "line-1" } });

        var line = (await dispatch.ReadOk<OrderJson>()).Line("line-1");
        Assert.Equal(("reserved", "dispatched"), (line.Status, line.State));
        Assert.Equal(new LevelsJson(2, 0, 0, 2), (await _http.GetSku(sku)).Levels);
    }

    [Fact]
    public async Task History_lists_changes_newest_first_with_levels_before_and_after()
    {
        var sku = Ids.Sku();
        var (countReference, writeOffReference) = (Ids.Reference(), Ids.Reference());
        await _http.CountStock(sku, 10, countReference);
        await _http.PlaceOrder(Ids.Order(), sku, 3);
        await _http.Adjust(sku, -2, writeOffReference);

        var history = await _http.History(sku);
        var newest = await _http.History(sku, limit: 1);

        Assert.Equal(["written-off", "reserved", "stock-counted"], history.Entries.Select(e => e.Kind));
        var writeOff = history.Entries[0];
        Assert.Equal((new LevelsJson(10, 3, 0, 7), new LevelsJson(8, 3, 0, 5)), (writeOff.Before, writeOff.After));
        Assert.Equal(("loopback", writeOffReference), (writeOff.Source, writeOff.Reference));
        var count = history.Entries[2];
        Assert.Equal((new LevelsJson(0, 0, 0, 0), new LevelsJson(10, 0, 0, 10)), (count.Before, count.After));
        Assert.Equal(countReference, count.Reference);
        Assert.True(history.Entries.Zip(history.Entries.Skip(1)).All(p => p.Item1.At >= p.Item2.At));
        Assert.Equal([writeOff], newest.Entries);
    }

    [Fact]
    public async Task Unknown_sku_is_404_problem_for_its_view_and_its_history()
    {
        var sku = Ids.Sku();

        using var view = await _http.GetAsync($"/api/v1/skus/{sku}");
        using var history = await _http.GetAsync($"/api/v1/skus/{sku}/history");

        await view.AssertProblem(HttpStatusCode.NotFound);
        await history.AssertProblem(HttpStatusCode.NotFound);
    }

    /// <summary>Incidents are read from the journal's tag query, which trails the write by up to its polling interval.</summary>
    private async Task<IncidentJson[]> IncidentsOf(string sku, int count)
    {
        var incidents = await InventoryHttp.Eventually(
            async () =>
            {
                using var response = await _http.GetAsync("/api/v1/incidents?limit=1000");
                return (await response.ReadOk<IncidentsJson>()).Incidents.Where(i => i.Sku == sku).ToArray();
            },
            found => found.Length >= count);
        return incidents;
    }
}
