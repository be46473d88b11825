using InventorySync.Cluster.Hosting;
using InventorySync.TestSupport;

namespace InventorySync.Cluster.Tests.Support;

/// <summary>One throwaway PostgreSQL server for the collection; a fresh database per test node.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _databases;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL is not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    public async Task<PersistenceSettings> NewStore()
    {
        var name = $"inv_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..30];
        return new PersistenceSettings
        {
            Provider = PersistenceSettings.Postgres,
            ConnectionString = await Server.CreateDatabaseAsync(name),
        };
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
