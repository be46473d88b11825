using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InventorySync.Sandbox.Tests.Support;

/// <summary>
/// The sandbox served by a real Kestrel on a free loopback port, mounted the way a host mounts it (AddSandbox and
/// MapSandbox), on a fake clock the test moves.
/// </summary>
internal sealed class SandboxHost : IAsyncDisposable
{
    public const string SellerId = "A2SELLER";
    public const string MarketplaceId = "ATVPDKIKX0DER";

    private readonly WebApplication app;

    private SandboxHost(WebApplication app, SandboxClock clock, Uri address)
    {
        this.app = app;
        Clock = clock;
        Client = new HttpClient { BaseAddress = address };
    }

    public SandboxClock Clock { get; }

    public HttpClient Client { get; }

    public static async Task<SandboxHost> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var clock = new SandboxClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSandbox(configure);
        var app = builder.Build();
        app.MapSandbox();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SandboxHost(app, clock, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.DisposeAsync();
    }

    public Task<HttpResponseMessage> EbayAsync(HttpMethod method, string path, object? body = null, string? token = "token")
    {
        var request = new HttpRequestMessage(method, $"/sandbox/ebay/sell/inventory/v1{path}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> BulkUpdateAsync(params object[] requests) =>
        EbayAsync(HttpMethod.Post, "/bulk_update_price_quantity", new { requests });

    /// <summary>A Trading API call: the request element's content, wrapped in {Call}Request.</summary>
    public async Task<TradingAnswer> TradingAsync(string callName, string requestContent, string? token = "token")
    {
        var xml = $"""<?xml version="1.0" encoding="utf-8"?><{callName}Request xmlns="urn:ebay:apis:eBLBaseComponents">{requestContent}</{callName}Request>""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sandbox/ebay/ws/api.dll")
        {
            Content = new StringContent(xml, Encoding.UTF8, "text/xml"),
        };
        request.Headers.Add("X-EBAY-API-CALL-NAME", callName);
        request.Headers.Add("X-EBAY-API-SITEID", "0");
        if (token is not null)
        {
            request.Headers.Add("X-EBAY-API-IAF-TOKEN", token);
        }

        using var response = await Client.SendAsync(request);
        return new TradingAnswer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<HttpResponseMessage> AmazonPatchAsync(string sku, int quantity, string op = "merge", string? token = "token") =>
        AmazonPatchAsync(sku, new
        {
            productType = "PRODUCT",
            patches = new[]
            {
                new { op, path = "/attributes/fulfillment_availability", value = new[] { new { fulfillment_channel_code = "DEFAULT", quantity } } },
            },
        }, token: token);

    public Task<HttpResponseMessage> AmazonPatchAsync(string sku, object body, string query = "", string? token = "token")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch,
            $"/sandbox/amazon/listings/2021-08-01/items/{SellerId}/{Uri.EscapeDataString(sku)}?marketplaceIds={MarketplaceId}{query}")
        {
            Content = JsonContent.Create(body),
        };
        return AmazonSendAsync(request, token);
    }

    public Task<HttpResponseMessage> AmazonAsync(HttpMethod method, string path, object? body = null, string? token = "token") =>
        AmazonSendAsync(new HttpRequestMessage(method, $"/sandbox/amazon{path}") { Content = body is null ? null : JsonContent.Create(body) }, token);

    public async Task<JsonNode> ControlAsync(string marketplace, HttpMethod method, string path, object? body = null)
    {
        using var response = await ControlResponseAsync(marketplace, method, path, body);
        response.EnsureSuccessStatusCode();
        return await Json(response);
    }

    public Task<HttpResponseMessage> ControlResponseAsync(string marketplace, HttpMethod method, string path, object? body = null) =>
        Client.SendAsync(new HttpRequestMessage(method, $"/sandbox/{marketplace}/_control{path}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        });

    public Task<JsonNode> ListingAsync(string marketplace, string id) =>
        ControlAsync(marketplace, HttpMethod.Get, $"/listings/{Uri.EscapeDataString(id)}");

    public async Task<JsonArray> LogAsync(string marketplace, string? listing = null) =>
        (JsonArray)await ControlAsync(marketplace, HttpMethod.Get, listing is null ? "/log" : $"/log?listing={Uri.EscapeDataString(listing)}");

    public Task ScriptFaultAsync(string marketplace, object fault) => ControlAsync(marketplace, HttpMethod.Post, "/faults", fault);

    public static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new JsonException("The answer is the JSON literal null.");

    private Task<HttpResponseMessage> AmazonSendAsync(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Add("x-amz-access-token", token);
        }

        return Client.SendAsync(request);
    }
}
