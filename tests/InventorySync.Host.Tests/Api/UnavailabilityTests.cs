using System.Net;
using System.Net.Http.Json;
using InventorySync.Cluster;
using InventorySync.Cluster.Orders;
using InventorySync.Host.Tests.Support;

namespace InventorySync.Host.Tests.Api;

/// <summary>Entities that do not answer in time, and a node that is not ready, are 503s with Retry-After, never 500s.</summary>
public sealed class UnavailabilityTests : IClassFixture<StandInNodeFixture>
{
    private readonly StandInNodeFixture _node;
    private readonly HttpClient _http;

    public UnavailabilityTests(StandInNodeFixture node)
    {
        _node = node;
        _http = node.Http;
        _http.DefaultRequestHeaders.Remove("X-Api-Key");
        _http.DefaultRequestHeaders.Add("X-Api-Key", StandInNodeFixture.WmsKey);
        node.Inventory.Unavailable = false;
        node.Inventory.OrderCode = OrderResultCode.Ok;
        node.Inventory.Readiness = new ReadinessReport(true, true, "stand-in is ready");
    }

    [Theory]
    [InlineData("GET", "/api/v1/skus/sku-1", null)]
    [InlineData("PUT", "/api/v1/skus/sku-1/stock", """{"onHand":5,"reference":"r"}""")]
    [InlineData("POST", "/api/v1/orders", """{"orderId":"o","channel":"web","lines":[{"lineId":"l","sku":"sku-1","quantity":1}]}""")]
    [InlineData("POST", "/api/v1/orders/o/cancel", null)]
    [InlineData("GET", "/api/v1/incidents", null)]
    public async Task Entity_that_does_not_answer_in_time_is_503_problem_with_retry_after(string method, string path, string? json)
    {
        _node.Inventory.Unavailable = true;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null) request.Content = InventoryHttp.JsonBody(json);

        using var response = await _http.SendAsync(request);

        await response.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Ledger_answering_unavailable_is_503_problem_with_retry_after()
    {
        _node.Inventory.OrderCode = OrderResultCode.Unavailable;

        using var response = await _http.PostOrder(InventoryHttp.Order("o", "sku-1", 1));

        await response.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Batch_answers_an_unavailable_order_503_in_its_own_element_with_retry_after()
    {
        _node.Inventory.Unavailable = true;

        using var response = await _http.PostAsJsonAsync("/api/v1/orders/batch",
            new { orders = new[] { InventoryHttp.Order("o", "sku-1", 1), InventoryHttp.Order("p", "sku-1", 0) } });

        var batch = await response.ReadOk<BatchJson>();
        Assert.Equal([503, 400], batch.Orders.Select(o => o.Status));
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Node_that_is_not_ready_answers_503_problem_with_retry_after_and_the_reason()
    {
        _node.Inventory.Readiness = new ReadinessReport(true, false, "journal did not answer within 3 s");

        using var response = await _http.GetAsync("/healthz/ready");

        var problem = await response.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("journal did not answer", problem.GetProperty("detail").GetString());
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Bad_request_never_reaches_an_entity()
    {
        var sku = Ids.Sku();

        using var count = await _http.PutStock(sku, """{"onHand":-1,"reference":"r"}""");
        using var order = await _http.PostOrder(
            $$"""{"orderId":"o","channel":"web","lines":[{"lineId":"l","sku":"{{sku}}","quantity":0}]}""");

        await count.AssertProblem(HttpStatusCode.BadRequest);
        await order.AssertProblem(HttpStatusCode.BadRequest);
        Assert.False(_node.Inventory.Touched(sku));
    }
}
