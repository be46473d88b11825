using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Cluster.Hosting;

public static class InventoryHosting
{
    /// <summary>
    /// Registers the node's actor system (remoting, clustering, persistence, serialization, the sku and order regions)
    /// and the <see cref="IInventoryClient"/> and <see cref="INodeReadiness"/> services.
    /// <paramref name="configure"/> adds host concerns (logging) to the same builder.
    /// </summary>
    public static IServiceCollection AddInventoryNode(
        this IServiceCollection services, InventorySettings settings,
        Action<AkkaConfigurationBuilder, IServiceProvider>? configure = null)
    {
        throw new NotImplementedException("being written");
    }
}
