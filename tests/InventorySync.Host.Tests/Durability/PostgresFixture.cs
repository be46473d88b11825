using InventorySync.TestSupport;

namespace InventorySync.Host.Tests.Durability;

/// <summary>One throwaway PostgreSQL server shared by the durability tests; each test creates its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server is not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>Durability tests run one at a time (each starts real node processes) and share one PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class DurabilityCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Durability";
}
