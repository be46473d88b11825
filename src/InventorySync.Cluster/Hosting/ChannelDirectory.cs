using InventorySync.Domain.Channels;

namespace InventorySync.Cluster.Hosting;

/// <summary>The channels this cluster is configured with, by id.</summary>
public sealed class ChannelDirectory(IReadOnlyList<ChannelDefinition> channels)
{
    private readonly Dictionary<string, ChannelDefinition> _byId = channels.ToDictionary(c => c.Id, StringComparer.Ordinal);

    public IReadOnlyList<ChannelDefinition> All { get; } = channels;

    public ChannelDefinition? Find(string id) => _byId.GetValueOrDefault(id);
}
