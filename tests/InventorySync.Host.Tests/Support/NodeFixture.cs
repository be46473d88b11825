namespace InventorySync.Host.Tests.Support;

/// <summary>One real node (actor system on SQLite, no API keys: loopback only) shared by every test in <see cref="NodeCollection"/>.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private TestNode? _node;

    public HttpClient Http => _node?.Http ?? throw new InvalidOperationException("The node has not started.");

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        await _node.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "real node";
}

/// <summary>
/// A node whose entities are a <see cref="StandInInventory"/>, with two API keys configured: a plain one
/// (<see cref="PlainKey"/>, source <c>api-key-0</c>) and a named one (<see cref="WmsKey"/>, source <c>wms</c>).
/// </summary>
public sealed class StandInNodeFixture : IAsyncLifetime
{
    public const string PlainKey = "plain-test-key-0123456789";
    public const string WmsKey = "wms-test-key-9876543210";

    private TestNode? _node;

    public StandInInventory Inventory { get; } = new();

    public HttpClient Http => _node?.Http ?? throw new InvalidOperationException("The node has not started.");

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(Inventory,
        $"--Bridge:ApiKeys:0={PlainKey}", "--Bridge:ApiKeys:1:Name=wms", $"--Bridge:ApiKeys:1:Key={WmsKey}",
        "--Bridge:RetryAfterSeconds=7");

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }
}
