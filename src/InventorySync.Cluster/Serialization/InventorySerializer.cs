using System.Collections.Frozen;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using SerializationException = System.Runtime.Serialization.SerializationException;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Listings;
using InventorySync.Cluster.Orders;
using InventorySync.Cluster.Stock;
using InventorySync.Domain;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Serialization;

/// <summary>
/// The one serializer for every project message, event and snapshot: System.Text.Json (Brotli-compressed for
/// snapshots) with a short, stable manifest per type. A manifest never changes meaning: a new shape of a type gets a new manifest (".v2") and the old one stays
/// readable.
/// </summary>
public sealed class InventorySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4711;

    /// <summary>Every serializable type and its manifest. Tests check that every <see cref="IInventoryMessage"/> is here.</summary>
    public static readonly IReadOnlyList<(Type Type, string Manifest)> Registrations =
    [
        // SKU commands, replies and queries
        (typeof(SkuCommands.CountStock), "sku.count.v1"),
        (typeof(SkuCommands.AdjustStock), "sku.adjust.v1"),
        (typeof(SkuCommands.Reserve), "sku.reserve.v1"),
        (typeof(SkuCommands.CancelReservation), "sku.cancel.v1"),
        (typeof(SkuCommands.DispatchReservation), "sku.dispatch.v1"),
        (typeof(SkuReply), "sku.reply.v1"),
        (typeof(SkuQueries.GetSku), "sku.get.v1"),
        (typeof(SkuQueries.GetReservation), "sku.get-reservation.v1"),
        (typeof(SkuView), "sku.view.v1"),
        (typeof(SkuLineRequest), "sku.line-request.v1"),
        (typeof(SkuLineReply), "sku.line-reply.v1"),
        // SKU events and snapshot
        (typeof(SkuEvents.StockCounted), "sku.e.counted.v1"),
        (typeof(SkuEvents.StockAdjusted), "sku.e.adjusted.v1"),
        (typeof(SkuEvents.AdjustmentRefused), "sku.e.adjustment-refused.v1"),
        (typeof(SkuEvents.Reserved), "sku.e.reserved.v1"),
        (typeof(SkuEvents.ReservationRejected), "sku.e.rejected.v1"),
        (typeof(SkuEvents.ReservationCancelled), "sku.e.cancelled.v1"),
        (typeof(SkuEvents.ReservationDispatched), "sku.e.dispatched.v1"),
        (typeof(SkuEvents.OversellRecorded), "sku.e.oversell.v1"),
        (typeof(SkuSnapshot), "sku.snapshot.v2"),
        // values that also travel on their own
        (typeof(ReservationOutcome), "sku.outcome.v1"),
        (typeof(ClosedLine), "sku.closed-line.v1"),
        (typeof(Reallocation), "sku.reallocation.v1"),
        (typeof(OversellIncident), "sku.incident.v1"),
        (typeof(StockChangeRecord), "sku.reference.v1"),
        // order ledger
        (typeof(OrderLine), "order.line.v1"),
        (typeof(OrderRequest), "order.request.v1"),
        (typeof(OrderLineRecord), "order.line-record.v1"),
        (typeof(OrderRecord), "order.record.v1"),
        (typeof(LedgerCommands.PlaceOrder), "order.place.v1"),
        (typeof(LedgerCommands.CancelOrder), "order.cancel.v1"),
        (typeof(LedgerCommands.DispatchOrder), "order.dispatch.v1"),
        (typeof(LedgerCommands.GetOrder), "order.get.v1"),
        (typeof(OrderReply), "order.reply.v1"),
        (typeof(OrderEvents.OrderReceived), "order.e.received.v1"),
        (typeof(OrderEvents.OrderLinesRecorded), "order.e.lines-recorded.v1"),
        (typeof(OrderEvents.OrdersForgotten), "order.e.forgotten.v1"),
        (typeof(LedgerSnapshot), "order.snapshot.v2"),
        // listings
        (typeof(ListingCommands.MapListing), "sku.map-listing.v1"),
        (typeof(ListingCommands.UnmapListing), "sku.unmap-listing.v1"),
        (typeof(ListingCommands.AcknowledgeListing), "sku.acknowledge-listing.v1"),
        (typeof(SkuEvents.ListingMapped), "sku.e.listing-mapped.v1"),
        (typeof(SkuEvents.ListingUnmapped), "sku.e.listing-unmapped.v1"),
        (typeof(SkuEvents.ListingSynced), "sku.e.listing-synced.v1"),
        (typeof(SkuEvents.ListingRefused), "sku.e.listing-refused.v1"),
        (typeof(ListingSettings), "sku.listing-settings.v1"),
        (typeof(ListingState), "sku.listing.v1"),
        (typeof(ListingView), "sku.listing-view.v1"),
        // channel gateways
        (typeof(ChannelCommands.Publish), "channel.publish.v1"),
        (typeof(ChannelCommands.Forget), "channel.forget.v1"),
        (typeof(ChannelCommands.Pause), "channel.pause.v1"),
        (typeof(ChannelCommands.Resume), "channel.resume.v1"),
        (typeof(ChannelCommands.Resync), "channel.resync.v1"),
        (typeof(ChannelCommands.Wake), "channel.wake.v1"),
        (typeof(ChannelQueries.GetStats), "channel.get-stats.v1"),
        (typeof(ChannelStats), "channel.stats.v1"),
        (typeof(ListingSignals.SyncListing), "channel.sync-listing.v1"),
        (typeof(ChannelEvents.ListingRegistered), "channel.e.listing-registered.v1"),
        (typeof(ChannelEvents.ListingForgotten), "channel.e.listing-forgotten.v1"),
        (typeof(ChannelEvents.ChannelPaused), "channel.e.paused.v1"),
        (typeof(ChannelEvents.ChannelResumed), "channel.e.resumed.v1"),
        (typeof(ChannelEvents.ListingsApplied), "channel.e.listings-applied.v1"),
        (typeof(AppliedListing), "channel.applied-listing.v1"),
        (typeof(ChannelGatewaySnapshot), "channel.snapshot.v2"),
        (typeof(ChannelEvents.ListingsSent), "channel.e.listings-sent.v1"),
        (typeof(SentListing), "channel.sent-listing.v1"),
    ];

    /// <summary>
    /// Manifests written by earlier versions that stay readable: snapshots before they were compressed (".v1", plain
    /// JSON of the same shape).
    /// </summary>
    public static readonly IReadOnlyList<(Type Type, string Manifest)> ReadableOnly =
    [
        (typeof(SkuSnapshot), "sku.snapshot.v1"),
        (typeof(LedgerSnapshot), "order.snapshot.v1"),
        (typeof(ChannelGatewaySnapshot), "channel.snapshot.v1"),
    ];

    /// <summary>
    /// Snapshots are written as Brotli-compressed JSON (fastest level): a SKU holding 60,000 open reservations is
    /// ~14 MB of JSON and ~1.5 MB compressed, in ~30 ms. Written plainly, the database spent ~250 ms compressing and
    /// logging it, and every order stalled behind that.
    /// </summary>
    private static readonly FrozenSet<Type> Compressed =
        new[] { typeof(SkuSnapshot), typeof(LedgerSnapshot), typeof(ChannelGatewaySnapshot) }.ToFrozenSet();

    private static readonly FrozenDictionary<Type, string> ByType = Registrations.ToFrozenDictionary(r => r.Type, r => r.Manifest);
    private static readonly FrozenDictionary<string, Type> ByManifest =
        Registrations.Concat(ReadableOnly).ToFrozenDictionary(r => r.Manifest, r => r.Type);
    private static readonly FrozenSet<string> CompressedManifests =
        Registrations.Where(r => Compressed.Contains(r.Type)).Select(r => r.Manifest).ToFrozenSet();

    internal static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Computed properties (Key, Available, IsOk, ...) are derived on reading: writing them only costs bytes.
        IgnoreReadOnlyProperties = true,
    };

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        ByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException(
                $"{o.GetType().FullName} has no manifest: add it to {nameof(InventorySerializer)}.{nameof(Registrations)}.");

    public override byte[] ToBinary(object obj)
    {
        var type = obj.GetType();
        if (!Compressed.Contains(type)) return JsonSerializer.SerializeToUtf8Bytes(obj, type, Options);
        // Serialized straight into the compressor: the uncompressed JSON never exists as one buffer.
        var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
            JsonSerializer.Serialize(brotli, obj, type, Options);
        return output.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!ByManifest.TryGetValue(manifest, out var type))
            throw new SerializationException($"Unknown manifest '{manifest}': written by a newer version?");
        object? value;
        if (CompressedManifests.Contains(manifest))
        {
            using var brotli = new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress);
            value = JsonSerializer.Deserialize(brotli, type, Options);
        }
        else
        {
            value = JsonSerializer.Deserialize(bytes, type, Options);
        }
        return value ?? throw new SerializationException($"Manifest {manifest} deserialized to null.");
    }
}
