using Akka.Actor;
using Akka.Event;
using InventorySync.Cluster.Persistence;

namespace InventorySync.Cluster.Channels;

/// <summary>
/// Stands in the <c>channel</c> region for an id no channel is configured with: logs what it was sent, answers the
/// operator's requests with a failure that names the channel, and stops.
/// </summary>
public sealed class UnconfiguredChannel : ReceiveActor
{
    public UnconfiguredChannel(string channel)
    {
        var log = Context.GetLogger();
        Receive<StopEntity>(_ => Context.Stop(Self));
        ReceiveAny(message =>
        {
            log.Warning("Channel {Channel} is not configured; {MessageType} dropped", channel, message.GetType().Name);
            if (message is ChannelQueries.GetStats or ChannelCommands.Pause or ChannelCommands.Resume or ChannelCommands.Resync)
            {
                Sender.Tell(new Status.Failure(new InvalidOperationException($"Channel '{channel}' is not configured.")));
            }
            Context.Stop(Self);
        });
    }

    public static Props Props(string channel) => Akka.Actor.Props.Create(() => new UnconfiguredChannel(channel));
}
