using Akka.Actor;
using Akka.Hosting;
using InventorySync.Cluster.Hosting;
using InventorySync.Domain.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventorySync.Cluster.Tests.Support;

/// <summary>A real single-node cluster built with the production registration, on a given store.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly IHost _host;

    private TestNode(IHost host) => _host = host;

    public IInventoryClient Client => _host.Services.GetRequiredService<IInventoryClient>();
    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();
    public IReadOnlyActorRegistry Registry => _host.Services.GetRequiredService<IReadOnlyActorRegistry>();

    public static async Task<TestNode> StartAsync(
        PersistenceSettings persistence, Action<InventorySettings>? tune = null, IMarketplaceClientFactory? marketplaces = null)
    {
        var settings = new InventorySettings
        {
            Persistence = persistence,
            Cluster = new ClusterSettings { Port = 0, SystemName = "inventory-test" },
            AskTimeout = TimeSpan.FromSeconds(20),
        };
        tune?.Invoke(settings);
        var builder = Host.CreateApplicationBuilder();
        if (marketplaces is not null) builder.Services.AddSingleton(marketplaces);
        builder.Services.AddInventoryNode(settings);
        var host = builder.Build();
        await host.StartAsync();
        var node = new TestNode(host);
        var readiness = host.Services.GetRequiredService<INodeReadiness>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await readiness.Check()).Ready)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The test node did not become ready in 30 s.");
            await Task.Delay(50);
        }
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
    }
}

/// <summary>Stores the entity tests run against: a fresh SQLite file, or a fresh database on a throwaway PostgreSQL.</summary>
public static class Stores
{
    public static PersistenceSettings NewSqlite()
    {
        var dir = Directory.CreateTempSubdirectory("inventorysync-test-").FullName;
        return new PersistenceSettings
        {
            Provider = PersistenceSettings.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(dir, "inventory.db")}",
        };
    }
}

/// <summary>
/// A ledger partition alone on a store, whose SKUs never answer: leaves an order recorded but undecided, as a node
/// that died between recording an order and hearing from its SKUs would.
/// </summary>
public static class InterruptedLedger
{
    public static async Task<InventorySync.Cluster.Orders.OrderReply> PlaceAndLoseTheAnswers(
        PersistenceSettings store, InventorySync.Domain.Orders.OrderRequest order)
    {
        var partitions = new LedgerSettings().Partitions;
        var partition = InventorySync.Cluster.Orders.LedgerMessageExtractor.PartitionOf(order.OrderId, partitions);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("ledger-only", (b, _) => b
            .WithInventorySerialization()
            .WithInventoryPersistence(store)
            .WithActors((system, registry) =>
            {
                var silentSkus = system.ActorOf(Props.Empty, "silent-skus");
                registry.Register<InventorySync.Cluster.Orders.OrderRegion>(
                    system.ActorOf(InventorySync.Cluster.Orders.OrderLedgerPartition.Props(partition,
                        new LedgerSettings { SkuTimeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System,
                        () => silentSkus)));
            }));
        using var host = builder.Build();
        await host.StartAsync();
        var ledger = host.Services.GetRequiredService<IReadOnlyActorRegistry>().Get<InventorySync.Cluster.Orders.OrderRegion>();
        var reply = await ledger.Ask<InventorySync.Cluster.Orders.OrderReply>(
            new InventorySync.Cluster.Orders.LedgerCommands.PlaceOrder(order), TimeSpan.FromSeconds(10));
        await host.StopAsync();
        return reply;
    }
}
