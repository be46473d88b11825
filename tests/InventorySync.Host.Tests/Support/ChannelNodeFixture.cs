namespace InventorySync.Host.Tests.Support;

/// <summary>
/// One real node with three channels (<c>shop</c>: webhook, <c>ebay</c>, <c>amazon</c>) whose marketplaces are a
/// <see cref="RecordingMarketplace"/>, shared by the tests of <see cref="ChannelNodeCollection"/>.
/// </summary>
public sealed class ChannelNodeFixture : IAsyncLifetime
{
    private TestNode? _node;

    public RecordingMarketplace Marketplace { get; } = new();

    public HttpClient Http => _node?.Http ?? throw new InvalidOperationException("The node has not started.");

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(Marketplace,
            "--Channels:shop:Marketplace=webhook", "--Channels:shop:BaseUrl=http://127.0.0.1:9/unused",
            "--Channels:ebay:Marketplace=ebay", "--Channels:amazon:Marketplace=amazon",
            "--Channels:amazon:RateLimit:PerSecond=50", "--Channels:amazon:RateLimit:Burst=50",
            "--Metrics:ChannelPollInterval=00:00:00.200");
        await _node.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ChannelNodeCollection : ICollectionFixture<ChannelNodeFixture>
{
    public const string Name = "real node with channels";
}
