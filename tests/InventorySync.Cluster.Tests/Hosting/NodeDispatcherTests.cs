using InventorySync.Cluster.Tests.Support;

namespace InventorySync.Cluster.Tests.Hosting;

public sealed class NodeDispatcherTests
{
    /// <summary>The executor is a measured choice (see InventoryHosting): the node's own configuration must not lose it.</summary>
    [Fact]
    public async Task A_node_runs_its_actors_through_the_channel_executor()
    {
        await using var node = await TestNode.StartAsync(Stores.NewSqlite());

        Assert.Equal("channel-executor", node.System.Settings.Config.GetString("akka.actor.default-dispatcher.executor"));
    }
}
