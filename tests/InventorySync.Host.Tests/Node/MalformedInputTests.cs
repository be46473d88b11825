using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InventorySync.Host.Tests.Support;

namespace InventorySync.Host.Tests.Node;

/// <summary>Every malformed input of the contract is a 400 (or 413) problem, and the SKU or order is unchanged afterwards.</summary>
[Collection(NodeCollection.Name)]
public sealed class MalformedInputTests(NodeFixture node)
{
    private const long OnHand = 10;
    private static readonly string LongSku = new('s', 101);
    private readonly HttpClient _http = node.Http;

    public static TheoryData<string> MalformedStockCounts => new()
    {
        "{",
        "not json",
        "[10]",
        "null",
        """{"onHand": "5", "reference": "r"}""",
        """{"onHand": 5.5, "reference": "r"}""",
        """{"onHand": 99999999999999999999, "reference": "r"}""",
        """{"onHand": 1e30, "reference": "r"}""",
        """{"onHand": 5, "reference": 7}""",
        """{"onHand": 5, "reference": "r"} trailing""",
        """{"onHand": 5, "onHand": 6, "reference": "r"}""",
        """{"reference": "r"}""",
        """{"onHand": 5}""",
        """{"onHand": 5, "reference": ""}""",
        """{"onHand": -1, "reference": "r"}""",
        """{"onHand": 1000000001, "reference": "r"}""",
    };

    [Theory]
    [MemberData(nameof(MalformedStockCounts))]
    public async Task Malformed_stock_count_is_400_problem_and_changes_nothing(string body)
    {
        var sku = await SkuWithStock();

        using var response = await _http.PutStock(sku, body);

        await response.AssertProblem(HttpStatusCode.BadRequest);
        await AssertUntouched(sku);
    }

    [Fact]
    public async Task Empty_stock_count_body_is_400_naming_every_missing_field()
    {
        var sku = await SkuWithStock();

        using var response = await _http.PutStock(sku, "{}");

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(["onHand", "reference"], problem.ErrorFields().Order());
        await AssertUntouched(sku);
    }

    [Theory]
    [InlineData("""{"delta": 0, "reference": "r"}""")]
    [InlineData("""{"delta": 1000000001, "reference": "r"}""")]
    [InlineData("""{"delta": -1000000001, "reference": "r"}""")]
    [InlineData("""{"delta": 9223372036854775808, "reference": "r"}""")]
    [InlineData("""{"reference": "r"}""")]
    [InlineData("""{"delta": 1}""")]
    [InlineData("""{"delta": true, "reference": "r"}""")]
    public async Task Zero_missing_or_out_of_range_delta_is_400_problem_and_changes_nothing(string body)
    {
        var sku = await SkuWithStock();

        using var response = await _http.PostAdjustment(sku, body);

        await response.AssertProblem(HttpStatusCode.BadRequest);
        await AssertUntouched(sku);
    }

    public static TheoryData<string> InvalidPathSkus => new() { "", "%20", LongSku, "a%01b", "a%0Ab", "a%7Fb" };

    [Theory]
    [MemberData(nameof(InvalidPathSkus))]
    public async Task Empty_too_long_or_control_character_sku_in_the_path_is_400_problem(string encodedSku)
    {
        using var count = await _http.PutStock(encodedSku, """{"onHand": 5, "reference": "r"}""");
        using var adjust = await _http.PostAdjustment(encodedSku, """{"delta": 5, "reference": "r"}""");
        using var view = await _http.GetAsync($"/api/v1/skus/{encodedSku}");
        using var history = await _http.GetAsync($"/api/v1/skus/{encodedSku}/history");

        Assert.Contains("sku", (await count.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields());
        await adjust.AssertProblem(HttpStatusCode.BadRequest);
        await view.AssertProblem(HttpStatusCode.BadRequest);
        await history.AssertProblem(HttpStatusCode.BadRequest);
    }

    /// <summary>Order bodies with <c>{orderId}</c> and <c>{sku}</c> filled in by the test; the expected error field.</summary>
    public static TheoryData<string, string> InvalidOrders => new()
    {
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":1}""", "body" },
        { """{"channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":1}]}""", "orderId" },
        { """{"orderId":"{orderId}","lines":[{"lineId":"l1","sku":"{sku}","quantity":1}]}""", "channel" },
        { """{"orderId":"{orderId}","channel":"web"}""", "lines" },
        { """{"orderId":"{orderId}","channel":"web","lines":[]}""", "lines" },
        { """{"orderId":"{orderId}","channel":"web","lines":[null]}""", "lines[0]" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}"}]}""", "lines[0].quantity" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"sku":"{sku}","quantity":1}]}""", "lines[0].lineId" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":0}]}""", "lines[0].quantity" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":-3}]}""", "lines[0].quantity" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":1000001}]}""", "lines[0].quantity" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":99999999999999999999}]}""", "lines[0].quantity" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":1.5}]}""", "lines[0].quantity" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":"1"}]}""", "lines[0].quantity" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"","quantity":1}]}""", "lines[0].sku" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{long}","quantity":1}]}""", "lines[0].sku" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"a\u0001b","quantity":1}]}""", "lines[0].sku" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"a\nb","quantity":1}]}""", "lines[0].sku" },
        { """{"orderId":"{orderId}","channel":"web","lines":[{"lineId":"l1","sku":"{sku}","quantity":1},{"lineId":"l1","sku":"{sku}","quantity":1}]}""", "lines[1].lineId" },
        { """{"orderId":"{orderId}","channel":"web","allowBackorder":"yes","lines":[{"lineId":"l1","sku":"{sku}","quantity":1}]}""", "allowBackorder" },
    };

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public async Task Invalid_order_is_400_problem_naming_the_field_and_records_nothing(string template, string field)
    {
        var sku = await SkuWithStock();
        var orderId = Ids.Order();
        var body = template.Replace("{orderId}", orderId).Replace("{sku}", sku).Replace("{long}", LongSku);

        using var response = await _http.PostOrder(body);

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
        await _http.AssertOrderUnknown(orderId);
        await AssertUntouched(sku);
    }

    [Fact]
    public async Task Invalid_utf8_is_400_problem_and_changes_nothing()
    {
        var sku = await SkuWithStock();
        byte[] body = [.."""{"onHand": 5, "reference": "r"""u8, 0xFF, .."\"}"u8];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _http.PutAsync($"/api/v1/skus/{sku}/stock", content);

        await response.AssertProblem(HttpStatusCode.BadRequest);
        await AssertUntouched(sku);
    }

    [Fact]
    public async Task Order_body_over_one_mebibyte_is_413_problem_and_records_nothing()
    {
        var sku = await SkuWithStock();
        var orderId = Ids.Order();

        using var response = await _http.PostOrder(PaddedOrder(orderId, sku, 1024 * 1024 + 1));

        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        await _http.AssertOrderUnknown(orderId);
        await AssertUntouched(sku);
    }

    [Fact]
    public async Task Chunked_order_body_over_one_mebibyte_is_413_problem_and_records_nothing()
    {
        var sku = await SkuWithStock();
        var orderId = Ids.Order();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = InventoryHttp.JsonBody(PaddedOrder(orderId, sku, 1024 * 1024 + 1)),
        };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _http.SendAsync(request);

        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        await _http.AssertOrderUnknown(orderId);
        await AssertUntouched(sku);
    }

    [Fact]
    public async Task Stock_count_body_over_one_mebibyte_is_413_problem_and_changes_nothing()
    {
        var sku = await SkuWithStock();
        var padding = new string('x', 1024 * 1024);

        using var response = await _http.PutStock(sku, $$"""{"onHand": 5, "reference": "r", "note": "{{padding}}"}""");

        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        await AssertUntouched(sku);
    }

    [Fact]
    public async Task Batch_over_eight_mebibytes_is_413_problem_and_places_nothing()
    {
        var sku = await SkuWithStock();
        var orderIds = Enumerable.Range(0, 9).Select(_ => Ids.Order()).ToList();
        var orders = orderIds.Select(id => PaddedOrder(id, sku, 1024 * 1024 - 100));

        using var response = await _http.PostAsync("/api/v1/orders/batch",
            InventoryHttp.JsonBody($$"""{"orders":[{{string.Join(",", orders)}}]}"""));

        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        await _http.AssertOrderUnknown(orderIds[0]);
        await AssertUntouched(sku);
    }

    [Fact]
    public async Task Batch_of_more_than_a_thousand_orders_is_400_problem_and_places_nothing()
    {
        var sku = await SkuWithStock();
        var orderIds = Enumerable.Range(0, 1001).Select(_ => Ids.Order()).ToList();
        var orders = orderIds.Select(id =>
            $$"""{"orderId":"{{id}}","channel":"web","lines":[{"lineId":"l1","sku":"{{sku}}","quantity":1}]}""");

        using var response = await _http.PostAsync("/api/v1/orders/batch",
            InventoryHttp.JsonBody($$"""{"orders":[{{string.Join(",", orders)}}]}"""));

        Assert.Equal(["orders"], (await response.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields());
        await _http.AssertOrderUnknown(orderIds[0]);
        await AssertUntouched(sku);
    }

    [Theory]
    [InlineData("""{"lines": []}""", "lines")]
    [InlineData("""{"lines": [""]}""", "lines[0]")]
    [InlineData("""{"lines": ["a\u0001"]}""", "lines[0]")]
    [InlineData("""{"lines": "line-1"}""", "lines")]
    [InlineData("""{"lines": [""", "body")]
    public async Task Invalid_cancel_or_dispatch_body_is_400_problem_and_changes_nothing(string body, string field)
    {
        var sku = await SkuWithStock();
        var orderId = Ids.Order();
        await _http.PlaceOrder(orderId, sku, 2);

        using var cancel = await _http.PostAsync($"/api/v1/orders/{orderId}/cancel", InventoryHttp.JsonBody(body));
        using var dispatch = await _http.PostAsync($"/api/v1/orders/{orderId}/dispatch", InventoryHttp.JsonBody(body));

        Assert.Contains(field, (await cancel.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains(field, (await dispatch.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal("open", (await _http.GetOrder(orderId)).Line("line-1").State);
        Assert.Equal(new LevelsJson(OnHand, 2, 0, OnHand - 2), (await _http.GetSku(sku)).Levels);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("")]
    public async Task History_or_incident_limit_outside_one_to_a_thousand_is_400_problem(string limit)
    {
        var sku = await SkuWithStock();

        using var history = await _http.GetAsync($"/api/v1/skus/{sku}/history?limit={limit}");
        using var incidents = await _http.GetAsync($"/api/v1/incidents?limit={limit}");

        Assert.Equal(["limit"], (await history.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(["limit"], (await incidents.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields());
    }

    private async Task<string> SkuWithStock()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, OnHand);
        return sku;
    }

    /// <summary>The SKU still has its one stock count and nothing else.</summary>
    private async Task AssertUntouched(string sku)
    {
        Assert.Equal(new LevelsJson(OnHand, 0, 0, OnHand), (await _http.GetSku(sku)).Levels);
        Assert.Single((await _http.History(sku)).Entries);
    }

    /// <summary>A valid one-line order padded with an unknown field to about <paramref name="size"/> bytes.</summary>
    private static string PaddedOrder(string orderId, string sku, int size) =>
        $$"""{"orderId":"{{orderId}}","channel":"web","lines":[{"lineId":"l1","sku":"{{sku}}","quantity":1}],"note":"{{new string('x', size)}}"}""";
}
