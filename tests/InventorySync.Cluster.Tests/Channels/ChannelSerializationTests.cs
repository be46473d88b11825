using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Listings;
using InventorySync.Cluster.Serialization;
using InventorySync.Domain;
using InventorySync.Domain.Listings;

namespace InventorySync.Cluster.Tests.Channels;

/// <summary>One example of every channel gateway message, event and snapshot, with no default-valued field.</summary>
public static class ChannelMessageSamples
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 14, 30, 0, TimeSpan.FromHours(1));

    public static readonly IReadOnlyList<IInventoryMessage> All =
    [
        new ChannelCommands.Publish("ebay-uk", "offer-1", "item-9", "SKU-1", 4, ListingStatus.Active, 17, 5,
            ListingStatus.Ended, true),
        new ChannelCommands.Forget("ebay-uk", "offer-1"),
        new ChannelCommands.Pause("ebay-uk"),
        new ChannelCommands.Resume("ebay-uk"),
        new ChannelCommands.Resync("ebay-uk"),
        new ChannelCommands.Wake("ebay-uk"),
        new ChannelQueries.GetStats("ebay-uk"),
        new ChannelStats("ebay-uk", "ebay", 3, 2, 1, 40, 7, 5, 2, 1, 1, 12, 2.5, true, TimeSpan.FromMilliseconds(1_250)),
        new ListingSignals.SyncListing("SKU-1", "ebay-uk", "offer-1", true),
        new ChannelEvents.ListingRegistered("ebay-uk", "offer-1", "SKU-1", At),
        new ChannelEvents.ListingForgotten("ebay-uk", "offer-1", At),
        new ChannelEvents.ChannelPaused("ebay-uk", At),
        new ChannelEvents.ChannelResumed("ebay-uk", At),
        new ChannelGatewaySnapshot("ebay-uk", new Dictionary<string, string> { ["offer-1"] = "SKU-1", ["offer-2"] = "SKU-2" }, true,
            [new AppliedListing("offer-1", "SKU-1", 7, 3, ListingStatus.Active)], [new SentListing("offer-2", "SKU-2", 10)]),
        new ChannelEvents.ListingsApplied("ebay-uk", [new AppliedListing("offer-2", "SKU-2", 9, 0, ListingStatus.Ended)], At),
        new AppliedListing("offer-1", "SKU-1", 7, 3, ListingStatus.Active),
        new ChannelEvents.ListingsSent("ebay-uk", [new SentListing("offer-2", "SKU-2", 10)], At),
        new SentListing("offer-2", "SKU-2", 10),
    ];
}

public sealed class ChannelSerializationTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("channel-serializer-test", ConfigurationFactory.ParseString("""
        akka.actor {
          serializers.inventory = "InventorySync.Cluster.Serialization.InventorySerializer, InventorySync.Cluster"
          serialization-bindings { "InventorySync.Domain.IInventoryMessage, InventorySync.Domain" = inventory }
        }
        """));

    public static IEnumerable<object[]> EachSample => ChannelMessageSamples.All.Select(s => new object[] { s.GetType().Name, s });

    [Theory]
    [MemberData(nameof(EachSample))]
    public void Every_channel_message_round_trips_through_the_project_serializer(string type, IInventoryMessage sample)
    {
        var serializer = _system.Serialization.FindSerializerFor(sample);
        Assert.IsType<InventorySerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, sample);
        var back = _system.Serialization.Deserialize(serializer.ToBinary(sample), serializer.Identifier, manifest);

        Assert.Equal(sample.GetType(), back.GetType());
        Assert.Equal(JsonSerializer.Serialize(sample, sample.GetType()), JsonSerializer.Serialize(back, back.GetType()));
        Assert.StartsWith("channel.", manifest);
        Assert.False(string.IsNullOrEmpty(type));
    }

    [Fact]
    public void Every_channel_gateway_message_type_has_a_manifest_and_a_sample()
    {
        var channelTypes = typeof(ChannelGateway).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ChannelGateway).Namespace || t == typeof(ListingSignals.SyncListing))
            .Where(t => typeof(IInventoryMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToHashSet();
        var registered = InventorySerializer.Registrations.Select(r => r.Type).ToHashSet();
        Assert.Empty(channelTypes.Except(registered).Select(t => t.FullName));
        Assert.Empty(channelTypes.Except(ChannelMessageSamples.All.Select(s => s.GetType())).Select(t => t.FullName));
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
