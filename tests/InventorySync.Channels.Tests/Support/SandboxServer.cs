using InventorySync.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InventorySync.Channels.Tests.Support;

/// <summary>
/// The sandbox marketplaces on a real Kestrel (loopback, port 0), mounted the way the node mounts them
/// (<c>AddSandbox</c> + <c>MapSandbox</c>), on the test's clock.
/// </summary>
internal static class SandboxServer
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The started server and its root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public static async Task<(WebApplication App, Uri Root)> StartAsync(TimeProvider clock, Action<SandboxOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(clock);
        builder.Services.AddSandbox(configure);
        var app = builder.Build();
        app.MapSandbox();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }
}
