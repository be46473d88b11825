using System.Net;
using System.Text.Json;
using InventorySync.Host.Tests.Support;

namespace InventorySync.Host.Tests.Node;

[Collection(NodeCollection.Name)]
public sealed class HttpSurfaceTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v2/orders")]
    [InlineData("/")]
    public async Task Unknown_route_is_404_problem(string path)
    {
        using var response = await _http.GetAsync(path);

        await response.AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Body_that_is_not_json_is_415_problem()
    {
        using var response = await _http.PutAsync($"/api/v1/skus/{Ids.Sku()}/stock",
            new StringContent("onHand=5&reference=r", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.AssertProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Live_and_ready_answer_200_on_a_running_node()
    {
        using var live = await _http.GetAsync("/healthz/live");
        using var ready = await _http.GetAsync("/healthz/ready");

        Assert.Equal("live", (await live.ReadOk<JsonElement>()).GetProperty("status").GetString());
        var report = await ready.ReadOk<JsonElement>();
        Assert.Equal("ready", report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("clusterUp").GetBoolean());
        Assert.True(report.GetProperty("journalAnswers").GetBoolean());
    }

    [Fact]
    public async Task OpenApi_document_lists_the_order_calls_with_their_answers_and_the_api_key_they_need()
    {
        using var response = await _http.GetAsync("/openapi/v1.json");

        await response.AssertStatus(HttpStatusCode.OK);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths");
        var placeOrder = paths.GetProperty("/api/v1/orders").GetProperty("post");
        Assert.Equal(
            ["200", "400", "401", "404", "409", "413", "503"],
            placeOrder.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.True(placeOrder.TryGetProperty("requestBody", out _));
        Assert.True(paths.TryGetProperty("/api/v1/orders/batch", out _));
        Assert.True(paths.TryGetProperty("/api/v1/skus/{sku}/stock", out _));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"),
            (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        Assert.True(placeOrder.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        Assert.False(paths.GetProperty("/healthz/ready").GetProperty("get").TryGetProperty("security", out _));
    }
}
