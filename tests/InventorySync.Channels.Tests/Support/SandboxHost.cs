using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace InventorySync.Channels.Tests.Support;

/// <summary>
/// One marketplace of the sandbox started by <see cref="SandboxServer"/>: where its API is, and its control API
/// (<c>sandbox/{marketplace}/_control/</c>) to seed listings, script faults and read back what was applied.
/// </summary>
internal abstract class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _marketplace;
    private readonly HttpClient _control;

    protected SandboxHost(WebApplication app, Uri root, string marketplace)
    {
        _app = app;
        _marketplace = marketplace;
        Root = root;
        _control = new HttpClient { BaseAddress = new Uri(root, $"sandbox/{marketplace}/_control/") };
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; }

    /// <summary>What a channel's <c>BaseUrl</c> is set to: the marketplace's API root below the sandbox's prefix.</summary>
    public Uri BaseUrl => new(Root, $"sandbox/{_marketplace}");

    /// <summary>A listing as the control API shows it: <c>{quantity, status, …}</c>.</summary>
    public async Task<JsonNode> ListingAsync(string id)
    {
        using var response = await _control.GetAsync($"listings/{Uri.EscapeDataString(id)}");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Every applied update, oldest first: <c>{listing, operation, quantity, status, …}</c>.</summary>
    public async Task<JsonArray> LogAsync()
    {
        using var response = await _control.GetAsync("log");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>Posts <paramref name="body"/> to the control API; the answer's text.</summary>
    protected async Task<string> PostAsync(string path, object body)
    {
        using var response = await _control.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await _app.DisposeAsync();
    }
}
