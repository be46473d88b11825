using System.Diagnostics;
using System.Net;
using InventorySync.Cluster;
using InventorySync.Domain.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Host.Tests.Support;

/// <summary>
/// A node started in-process through <see cref="NodeApp"/> on real Kestrel (127.0.0.1, port 0), with its own
/// SQLite file in a temp folder and a free cluster port. Either the real actor system or a <see cref="StandInInventory"/>.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private TestNode(WebApplication app, string directory)
    {
        _app = app;
        _directory = directory;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public static Task<TestNode> StartAsync(params string[] arguments) => StartAsync(NodeApp.Build, arguments);

    /// <summary>A real node whose channels reach <paramref name="marketplace"/> instead of real adapters.</summary>
    public static Task<TestNode> StartAsync(RecordingMarketplace marketplace, params string[] arguments) =>
        StartAsync(args => NodeApp.Build(args, (services, settings) =>
        {
            services.AddSingleton<IMarketplaceClientFactory>(marketplace);
            NodeApp.AddInventoryNode(services, settings);
        }), arguments);

    public static Task<TestNode> StartAsync(StandInInventory standIn, params string[] arguments) =>
        StartAsync(args => NodeApp.Build(args, (services, _) =>
        {
            services.AddSingleton<IInventoryClient>(standIn);
            services.AddSingleton<INodeReadiness>(standIn);
        }), arguments);

    private static async Task<TestNode> StartAsync(Func<string[], WebApplication> build, string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("inventorysync-host-tests-").FullName;
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Cluster:Port=0",
            $"--Persistence:ConnectionString=Data Source={Path.Combine(directory, "inventory.db")}",
            "--Serilog:MinimumLevel:Default=Warning",
            "--Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime=Warning",
            ..arguments,
        ];
        var app = build(args);
        await app.StartAsync();
        return new TestNode(app, directory);
    }

    /// <summary>Waits until the node is ready and the SKU region answers (the first ask into sharding can lag the cluster).</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            using var ready = await Http.GetAsync("/healthz/ready");
            if (ready.IsSuccessStatusCode)
            {
                using var probe = await Http.GetAsync($"/api/v1/skus/{Ids.Sku()}");
                if (probe.StatusCode == HttpStatusCode.NotFound) return;
                last = $"sku probe {(int)probe.StatusCode}: {await probe.Content.ReadAsStringAsync()}";
            }
            else
            {
                last = $"ready {(int)ready.StatusCode}: {await ready.Content.ReadAsStringAsync()}";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        throw new TimeoutException($"The node was not serving within {timeout} (last: {last}).");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is removed with the temp folder by the OS; nothing depends on it.
        }
    }
}
