using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using InventorySync.Cluster.Persistence;
using InventorySync.Cluster.Stock;
using InventorySync.Domain.Channels;

namespace InventorySync.Cluster.Channels;

public static class ChannelHosting
{
    /// <summary>
    /// The <c>channel</c> region (one <see cref="ChannelGateway"/> per configured channel, cluster-wide) and, on this
    /// node, a <see cref="ChannelWaker"/> that keeps every configured gateway running, so each starts on its own and
    /// comes back after a move. Acknowledgements and sync requests go to the <c>sku</c> region.
    /// </summary>
    public static AkkaConfigurationBuilder WithChannelGateways(
        this AkkaConfigurationBuilder builder, IReadOnlyList<ChannelDefinition> channels,
        IMarketplaceClientFactory factory, TimeProvider clock)
    {
        var duplicates = channels.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new ArgumentException($"Channel ids must be unique: {string.Join(", ", duplicates)} configured more than once.", nameof(channels));
        var byId = channels.ToDictionary(c => c.Id, StringComparer.Ordinal);

        builder.WithShardRegion<ChannelRegion>("channel",
            (_, registry) => channelId => byId.TryGetValue(channelId, out var channel)
                ? ChannelGateway.Props(channel, factory, clock, () => registry.Get<SkuRegion>())
                : UnconfiguredChannel.Props(channelId),
            new ChannelMessageExtractor(),
            new ShardOptions
            {
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                // A gateway holds its channel's queue, bucket and timers: it runs for as long as its channel is configured.
                ShouldPassivateIdleEntities = false,
                HandOffStopMessage = StopEntity.Instance,
            });
        if (channels.Count > 0)
        {
            var ids = channels.Select(c => c.Id).ToList();
            builder.WithActors((system, registry) =>
                system.ActorOf(ChannelWaker.Props(ids, () => registry.Get<ChannelRegion>()), "channel-waker"));
        }
        return builder;
    }
}

/// <summary>
/// One per node: sends <see cref="ChannelCommands.Wake"/> to every configured channel at start and every
/// <see cref="Interval"/>, so a gateway runs without waiting for its first update and comes back soon after a move.
/// </summary>
public sealed class ChannelWaker : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    public ChannelWaker(IReadOnlyList<string> channels, Func<IActorRef> region)
    {
        Receive<Tick>(_ =>
        {
            var gateways = region();
            foreach (var channel in channels) gateways.Tell(new ChannelCommands.Wake(channel));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<string> channels, Func<IActorRef> region) =>
        Akka.Actor.Props.Create(() => new ChannelWaker(channels, region));

    protected override void PreStart() => Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, TimeSpan.Zero, Interval);
}
