using Npgsql;

namespace InventorySync.Host.Tests.Durability;

[Collection(DurabilityCollection.Name)]
public sealed class PostgresServerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Throwaway_server_creates_separate_databases_that_accept_writes()
    {
        var first = await postgres.Server.CreateDatabaseAsync($"probe_{Guid.NewGuid():N}");
        var second = await postgres.Server.CreateDatabaseAsync($"probe_{Guid.NewGuid():N}");

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE t (v int); INSERT INTO t VALUES (42);", connection);
            await create.ExecuteNonQueryAsync();
            await using var fsync = new NpgsqlCommand("SHOW fsync", connection);
            Assert.Equal("on", await fsync.ExecuteScalarAsync());
        }

        await using (var connection = new NpgsqlConnection(second))
        {
            await connection.OpenAsync();
            await using var probe = new NpgsqlCommand("SELECT to_regclass('public.t') IS NULL", connection);
            Assert.Equal(true, await probe.ExecuteScalarAsync());
        }
    }
}
