using System.Text.RegularExpressions;
using Npgsql;

namespace InventorySync.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server: <c>initdb</c> into a temp dir, started on a free port on 127.0.0.1 with fsync on,
/// stopped with <c>pg_ctl -m immediate</c> and deleted on dispose. Needs the PostgreSQL binaries (<c>initdb</c>,
/// <c>pg_ctl</c>, <c>postgres</c>) on PATH or under /usr/lib/postgresql/*/bin, and fails loudly without them.
/// As root (initdb refuses root) it runs them as the <c>postgres</c> user through <c>runuser</c>.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly string _dataDir;
    private readonly string _pgCtl;
    private bool _running;

    private PostgresServer(string root, string pgCtl, int port)
    {
        _root = root;
        _dataDir = Path.Combine(root, "data");
        _pgCtl = pgCtl;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's <c>postgres</c> database, as the superuser <c>postgres</c> (trust auth).</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database,
    }.ConnectionString;

    public static async Task<PostgresServer> StartAsync()
    {
        var initdb = FindBinary("initdb");
        var pgCtl = FindBinary("pg_ctl");
        FindBinary("postgres");

        var root = Directory.CreateTempSubdirectory("inventorysync-pg-").FullName;
        if (Posix.IsRoot) await CommandRunner.RunAsync("chown", ["postgres:postgres", root], CommandTimeout);

        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var server = new PostgresServer(root, pgCtl, FreePort.Next());
            try
            {
                if (attempt == 1)
                    await server.RunAsPostgres(initdb, ["-D", server._dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
                await server.RunAsPostgres(pgCtl,
                [
                    "-D", server._dataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                    "-o", $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=on", "start",
                ]);
                server._running = true;
                return server;
            }
            catch (InvalidOperationException) when (attempt < attempts && !PortIsFree(server.Port))
            {
                // Another process took the port between picking and binding it: pick another.
            }
            catch
            {
                TryDelete(root);
                throw;
            }
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!DatabaseName().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a plain lower-case database name", nameof(name));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (_running) await RunAsPostgres(_pgCtl, ["-D", _dataDir, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            _running = false;
            TryDelete(_root);
        }
    }

    private Task<string> RunAsPostgres(string binary, IReadOnlyList<string> arguments) =>
        Posix.IsRoot
            ? CommandRunner.RunAsync("runuser", ["-u", "postgres", "--", binary, ..arguments], CommandTimeout)
            : CommandRunner.RunAsync(binary, arguments, CommandTimeout);

    private static string FindBinary(string name)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name));
        var packaged = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(dir => Path.Combine(dir, "bin", name))
            : [];
        return onPath.Concat(packaged).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"PostgreSQL's '{name}' was found neither on PATH nor under /usr/lib/postgresql/*/bin. " +
                "Install PostgreSQL (apt-get install -y postgresql) or put its bin directory on PATH; " +
                "the PostgreSQL tests do not skip.");
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
