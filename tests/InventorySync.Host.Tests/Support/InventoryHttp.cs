using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Sdk;

namespace InventorySync.Host.Tests.Support;

/// <summary>The calls tests make, each checking its status and reading the answer as a client would.</summary>
public static class InventoryHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PutStock(this HttpClient http, string sku, string json) =>
        http.PutAsync($"/api/v1/skus/{sku}/stock", JsonBody(json));

    public static Task<HttpResponseMessage> PostAdjustment(this HttpClient http, string sku, string json) =>
        http.PostAsync($"/api/v1/skus/{sku}/stock/adjustments", JsonBody(json));

    public static Task<HttpResponseMessage> PostOrder(this HttpClient http, string json) =>
        http.PostAsync("/api/v1/orders", JsonBody(json));

    public static Task<HttpResponseMessage> PostOrder(this HttpClient http, object order) =>
        http.PostAsJsonAsync("/api/v1/orders", order, Json);

    public static async Task<SkuJson> CountStock(this HttpClient http, string sku, long onHand, string? reference = null)
    {
        using var response = await http.PutAsJsonAsync($"/api/v1/skus/{sku}/stock",
            new { onHand, reference = reference ?? Ids.Reference() }, Json);
        return await response.ReadOk<SkuJson>();
    }

    public static async Task<SkuJson> Adjust(this HttpClient http, string sku, long delta, string? reference = null)
    {
        using var response = await http.PostAsJsonAsync($"/api/v1/skus/{sku}/stock/adjustments",
            new { delta, reference = reference ?? Ids.Reference() }, Json);
        return await response.ReadOk<SkuJson>();
    }

    /// <summary>An order of one line (<c>line-1</c>).</summary>
    public static object Order(string orderId, string sku, long quantity, bool allowBackorder = false, string channel = "web") =>
        new { orderId, channel, allowBackorder, lines = new[] { new { lineId = "line-1", sku, quantity } } };

    public static async Task<OrderJson> PlaceOrder(
        this HttpClient http, string orderId, string sku, long quantity, bool allowBackorder = false, string channel = "web")
    {
        using var response = await http.PostOrder(Order(orderId, sku, quantity, allowBackorder, channel));
        return await response.ReadOk<OrderJson>();
    }

    public static async Task<SkuJson> GetSku(this HttpClient http, string sku)
    {
        using var response = await http.GetAsync($"/api/v1/skus/{sku}");
        return await response.ReadOk<SkuJson>();
    }

    public static async Task<OrderJson> GetOrder(this HttpClient http, string orderId)
    {
        using var response = await http.GetAsync($"/api/v1/orders/{orderId}");
        return await response.ReadOk<OrderJson>();
    }

    public static async Task<HistoryJson> History(this HttpClient http, string sku, int? limit = null)
    {
        using var response = await http.GetAsync($"/api/v1/skus/{sku}/history{(limit is { } l ? $"?limit={l}" : "")}");
        return await response.ReadOk<HistoryJson>();
    }

    public static async Task AssertOrderUnknown(this HttpClient http, string orderId)
    {
        using var response = await http.GetAsync($"/api/v1/orders/{orderId}");
        await response.AssertProblem(HttpStatusCode.NotFound);
    }

    public static async Task<T> ReadOk<T>(this HttpResponseMessage response)
    {
        await response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>Checks an <c>application/problem+json</c> answer with the status and a readable detail; returns its body.</summary>
    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        await response.AssertStatus(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), "the problem has no detail");
        return problem;
    }

    public static async Task AssertStatus(this HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode == status) return;
        var body = await response.Content.ReadAsStringAsync();
        throw new XunitException(
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered " +
            $"{(int)response.StatusCode}, expected {(int)status}: {body}");
    }

    /// <summary>The field names of a validation problem's <c>errors</c>.</summary>
    public static string[] ErrorFields(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray();

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds, for what is genuinely eventual.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (clock.Elapsed > limit) throw new XunitException($"Still not so after {limit}: {JsonSerializer.Serialize(value, Json)}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
