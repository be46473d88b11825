using System.Net;
using InventorySync.Domain.Stock;
using InventorySync.Host.Tests.Support;

namespace InventorySync.Host.Tests.Api;

/// <summary>A node with API keys configured: only callers with a valid key reach the entities.</summary>
public sealed class ApiKeyTests(StandInNodeFixture node) : IClassFixture<StandInNodeFixture>
{
    private readonly HttpClient _http = node.Http;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-key")]
    [InlineData(StandInNodeFixture.WmsKey + "x")]
    public async Task Missing_or_wrong_api_key_is_401_problem_and_reaches_no_entity(string? key)
    {
        var sku = Ids.Sku();

        using var count = await Send(HttpMethod.Put, $"/api/v1/skus/{sku}/stock", key, """{"onHand":5,"reference":"r"}""");
        using var order = await Send(HttpMethod.Post, "/api/v1/orders", key,
            $$"""{"orderId":"o","channel":"web","lines":[{"lineId":"l","sku":"{{sku}}","quantity":1}]}""");
        using var read = await Send(HttpMethod.Get, $"/api/v1/skus/{sku}", key);

        await count.AssertProblem(HttpStatusCode.Unauthorized);
        await order.AssertProblem(HttpStatusCode.Unauthorized);
        await read.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", count.Headers.WwwAuthenticate.ToString());
        Assert.False(node.Inventory.Touched(sku));
    }

    [Theory]
    [InlineData(StandInNodeFixture.WmsKey, "wms")]
    [InlineData(StandInNodeFixture.PlainKey, "api-key-0")]
    public async Task Right_api_key_is_served_and_changes_are_recorded_under_its_name_never_the_key(string key, string source)
    {
        var sku = Ids.Sku();

        using var count = await Send(HttpMethod.Put, $"/api/v1/skus/{sku}/stock", key, """{"onHand":5,"reference":"r"}""");

        await count.AssertStatus(HttpStatusCode.OK);
        var command = node.Inventory.Calls.OfType<SkuCommands.CountStock>().Single(c => c.Sku == sku);
        Assert.Equal(source, command.Source);
    }

    [Theory]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task Health_and_openapi_need_no_api_key(string path)
    {
        using var response = await _http.GetAsync(path);

        await response.AssertStatus(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string? key, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = InventoryHttp.JsonBody(json);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return _http.SendAsync(request);
    }
}
