using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InventorySync.Host.Tests.Support;

/// <summary>
/// A web shop behind the webhook contract, on a real loopback port: while <see cref="Down"/> it answers 503 to every
/// call; otherwise it applies each update and keeps what each listing shows and the versions it applied, in order.
/// </summary>
public sealed class WebhookShop : IAsyncDisposable
{
    public sealed record Shown(long Quantity, string Status, long Version);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Shown> _shown = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _applied = new();
    private int _refused;
    private int _calls;

    private WebhookShop()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.MapPost("/hook", HandleAsync);
    }

    public volatile bool Down;

    public Uri HookUrl { get; private set; } = null!;

    /// <summary>Calls answered 503 while the shop was down.</summary>
    public int Refused => _refused;

    /// <summary>Every call the shop received, up or down.</summary>
    public int Calls => _calls;

    public Shown? Showing(string listingId) => _shown.GetValueOrDefault(listingId);

    /// <summary>Every version applied to the listing, in the order the shop applied them.</summary>
    public IReadOnlyList<long> Applied(string listingId) => _applied.TryGetValue(listingId, out var q) ? q.ToArray() : [];

    public static async Task<WebhookShop> StartAsync(bool down)
    {
        var shop = new WebhookShop { Down = down };
        await shop._app.StartAsync();
        var address = shop._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        shop.HookUrl = new Uri(address.TrimEnd('/') + "/hook");
        return shop;
    }

    private async Task HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref _calls);
        if (Down)
        {
            Interlocked.Increment(ref _refused);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        foreach (var update in body.RootElement.GetProperty("updates").EnumerateArray())
        {
            var listing = update.GetProperty("listingId").GetString()!;
            var version = update.GetProperty("version").GetInt64();
            _shown[listing] = new Shown(update.GetProperty("quantity").GetInt64(), update.GetProperty("status").GetString()!, version);
            _applied.GetOrAdd(listing, _ => new ConcurrentQueue<long>()).Enqueue(version);
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
