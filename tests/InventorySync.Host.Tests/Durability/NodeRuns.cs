using InventorySync.TestSupport;
using Xunit.Abstractions;

namespace InventorySync.Host.Tests.Durability;

/// <summary>Where a durability test keeps its events: a SQLite file in its work folder, or a fresh PostgreSQL database.</summary>
public enum Store { Sqlite, Postgres }

/// <summary>
/// The node processes of one durability test: they share a work folder and a store; when the test ends they are
/// stopped and the tail of each one's output goes to the test's log.
/// </summary>
public sealed class NodeRuns(PostgresFixture postgres, ITestOutputHelper output, string name) : IAsyncDisposable
{
    private const int OutputTail = 40_000;
    private readonly List<NodeProcess> _nodes = [];

    public string WorkDir { get; } = Directory.CreateTempSubdirectory($"inventorysync-{name}-").FullName;

    /// <summary>The configuration of a store no other test uses.</summary>
    public async Task<string[]> StoreArguments(Store store) => store switch
    {
        Store.Sqlite =>
        [
            "--Persistence:Provider=sqlite",
            $"--Persistence:ConnectionString=Data Source={Path.Combine(WorkDir, "inventory.db")}",
        ],
        Store.Postgres =>
        [
            "--Persistence:Provider=postgres",
            $"--Persistence:ConnectionString={await postgres.Server.CreateDatabaseAsync($"{name}_{Guid.NewGuid():N}")}",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(store)),
    };

    /// <summary>Starts a node in the work folder and waits until it is ready.</summary>
    public async Task<NodeProcess> StartAsync(
        string[] arguments, TimeSpan timeout, CancellationToken ct = default, IReadOnlyDictionary<string, string>? environment = null)
    {
        var node = NodeProcess.Start(WorkDir, arguments, environment);
        _nodes.Add(node);
        await node.WaitReadyAsync(timeout, ct);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _nodes.Count; i++)
        {
            var pid = _nodes[i].ProcessId;
            await _nodes[i].DisposeAsync();
            var log = _nodes[i].Output;
            output.WriteLine($"===== node {i + 1} (pid {pid}), last {OutputTail} characters of its output =====");
            output.WriteLine(log.Length > OutputTail ? log[^OutputTail..] : log);
        }
        try { Directory.Delete(WorkDir, recursive: true); }
        catch (IOException) { }
    }
}
