using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using InventorySync.Cluster.Orders;
using InventorySync.Cluster.Serialization;
using InventorySync.Cluster.Stock;
using InventorySync.Domain;
using InventorySync.Domain.Listings;
using InventorySync.Cluster.Tests.Channels;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Cluster.Tests.Serialization;

public sealed class SerializerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 14, 30, 0, TimeSpan.FromHours(1));
    private static readonly StockLevels Levels = new(10, 4, 2);
    private static readonly ReservationOutcome Outcome = new("o1", "l1", 6, LineStatus.Backordered, LineState.Open, 4, 2);
    private static readonly Reallocation Move = new("o1", "l1", -2);
    private static readonly OversellIncident Incident = new("SKU-1", OversellCauses.SaleBeyondStock, 2, [Move], "ebay", "o1", At);
    private static readonly OrderRequest Request = new("o1", "ebay", true, [new OrderLine("l1", "SKU-1", 6)]);
    private static readonly OrderLineRecord LineRecord = new("l1", "SKU-1", 6, LineStatus.Backordered, LineState.Open, 4, 2);
    private static readonly OrderRecord Record = new("o1", "ebay", true, [LineRecord, LineRecord with { LineId = "l2", Status = null }], At, null);

    /// <summary>One example of every registered type, with no default-valued field, so a lost field shows.</summary>
    private static readonly ListingSettings Settings = new(50, 2, 1, 20, OutOfStockRule.Zero);
    private static readonly ListingState Listing = ListingState.Mapped("ebay", "offer-1", MarketplaceKind.Ebay, Settings)
        with { Desired = new DesiredListing(4, ListingStatus.Active), DesiredVersion = 9, SyncedVersion = 7,
            PublishedQuantity = 5, PublishedStatus = ListingStatus.Active, RefusedVersion = 8, LastError = "draft" };

    public static readonly IReadOnlyList<IInventoryMessage> Samples =
    [
        new SkuCommands.CountStock("SKU-1", 10, "ref-1", "api"),
        new SkuCommands.AdjustStock("SKU-1", -3, "ref-2", "api"),
        new SkuCommands.Reserve("SKU-1", "o1", "l1", 6, true, "ebay"),
        new SkuCommands.CancelReservation("SKU-1", "o1", "l1"),
        new SkuCommands.DispatchReservation("SKU-1", "o1", "l1"),
        new SkuReply("SKU-1", SkuResultCode.Conflict, "why", Levels, Outcome),
        new SkuQueries.GetSku("SKU-1"),
        new SkuQueries.GetReservation("SKU-1", "o1", "l1"),
        new SkuView("SKU-1", true, Levels, 42, []),
        new SkuLineRequest(7, LineAction.Reserve, "SKU-1", "o1", "l1", 6, true, "ebay"),
        new SkuLineReply(7, new SkuReply("SKU-1", SkuResultCode.Ok, "why", Levels, Outcome)),
        new StockCounted("SKU-1", 10, "ref-1", "api", [Move], Levels, At),
        new StockAdjusted("SKU-1", 3, "ref-2", "api", [Move with { Quantity = 2 }], Levels, At),
        new AdjustmentRefused("SKU-1", -30, "ref-3", "api", "below reserved", Levels, At),
        new Reserved("SKU-1", "o1", "l1", 6, 4, 2, "ebay", true, Levels, At),
        new ReservationRejected("SKU-1", "o2", "l1", 6, "ebay", Levels, At),
        new ReservationCancelled("SKU-1", "o1", "l1", [Move], Levels, At),
        new ReservationDispatched("SKU-1", "o1", "l1", 6, Levels, At),
        new OversellRecorded("SKU-1", Incident, Levels, At),
        new SkuSnapshot("SKU-1", true, Levels,
            [new Reservation("o1", "l1", 6, 4, 2, LineStatus.Backordered, "ebay", true, 7, At)],
            [new ClosedLine(Outcome with { State = LineState.Dispatched }, "ebay", true)],
            [new StockChangeRecord("ref-1", StockChangeKinds.Count, 10, true, null)], 8),
        Outcome,
        new ClosedLine(Outcome, "amazon", true),
        Move,
        Incident,
        new StockChangeRecord("ref-3", StockChangeKinds.Adjustment, -30, false, "below reserved"),
        new OrderLine("l1", "SKU-1", 6),
        Request,
        LineRecord,
        Record,
        new LedgerCommands.PlaceOrder(Request),
        new LedgerCommands.CancelOrder("o1", ["l1"]),
        new LedgerCommands.DispatchOrder("o1", null),
        new LedgerCommands.GetOrder("o1"),
        new OrderReply(OrderResultCode.Unavailable, "later", Record),
        new OrderEvents.OrderReceived(Request, At),
        new OrderEvents.OrderLinesRecorded("o1", [Outcome], At),
        new OrderEvents.OrdersForgotten(["o1", "o2"], At),
        new LedgerSnapshot([Record with { ClosedAt = At }]),
        new ListingCommands.MapListing("SKU-1", "ebay", "offer-1", MarketplaceKind.Ebay, Settings),
        new ListingCommands.UnmapListing("SKU-1", "ebay", "offer-1"),
        new ListingCommands.AcknowledgeListing("SKU-1", "ebay", "offer-1", 9, true, 4, ListingStatus.Active, "item-2", null),
        new ListingMapped("SKU-1", "ebay", "offer-1", MarketplaceKind.Ebay, Settings, Levels, At),
        new ListingUnmapped("SKU-1", "ebay", "offer-1", Levels, At),
        new ListingSynced("SKU-1", "ebay", "offer-1", 9, 4, ListingStatus.Active, "item-2", Levels, At),
        new ListingRefused("SKU-1", "ebay", "offer-1", 10, "Listing is a draft", Levels, At),
        Settings,
        Listing,
        Listing.ToView(),
        new SkuView("SKU-1", true, Levels, 42, [Listing.ToView()]),
        new SkuSnapshot("SKU-1", true, Levels, [], [], [], 8, [Listing], 12),
        ..ChannelMessageSamples.All,
    ];

    private readonly ActorSystem _system = ActorSystem.Create("serializer-test", ConfigurationFactory.ParseString("""
        akka.actor {
          serializers.inventory = "InventorySync.Cluster.Serialization.InventorySerializer, InventorySync.Cluster"
          serialization-bindings { "InventorySync.Domain.IInventoryMessage, InventorySync.Domain" = inventory }
        }
        """));

    public static IEnumerable<object[]> EachSample => Samples.Select(s => new object[] { s.GetType().Name, s });

    [Theory]
    [MemberData(nameof(EachSample))]
    public void Every_type_round_trips_through_the_project_serializer(string type, IInventoryMessage sample)
    {
        var serializer = _system.Serialization.FindSerializerFor(sample);
        Assert.IsType<InventorySerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, sample);
        var back = _system.Serialization.Deserialize(serializer.ToBinary(sample), serializer.Identifier, manifest);

        Assert.Equal(sample.GetType(), back.GetType());
        // Records with lists compare by reference, so compare their JSON, which includes every field.
        Assert.Equal(Json(sample), Json(back));
        Assert.False(string.IsNullOrEmpty(type));
    }

    [Fact]
    public void Every_message_type_of_the_project_has_a_manifest_and_a_sample()
    {
        var types = typeof(IInventoryMessage).Assembly.GetTypes()
            .Concat(typeof(InventorySerializer).Assembly.GetTypes())
            .Where(t => typeof(IInventoryMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToHashSet();
        var registered = InventorySerializer.Registrations.Select(r => r.Type).ToHashSet();
        Assert.Empty(types.Except(registered).Select(t => t.FullName));
        Assert.Empty(registered.Except(Samples.Select(s => s.GetType())).Select(t => t.FullName));
        Assert.Equal(InventorySerializer.Registrations.Count,
            InventorySerializer.Registrations.Select(r => r.Manifest).Distinct().Count());
    }

    [Fact]
    public void A_snapshot_taken_of_a_sku_state_serializes_its_lists_where_it_is_serialized_and_restores_the_state()
    {
        var state = SkuState.Empty("SKU-1")
            .Apply(new StockCounted("SKU-1", 3, "count-1", "wms", [], Levels, At))
            .Apply(new Reserved("SKU-1", "o1", "l1", 2, 2, 0, "ebay", false, Levels, At))
            .Apply(new Reserved("SKU-1", "o2", "l1", 4, 1, 3, "ebay", true, Levels, At))
            .Apply(new ReservationCancelled("SKU-1", "o1", "l1", [], Levels, At));
        var taken = SkuSnapshot.Of(state);
        var plain = taken with
        {
            Open = state.Open.Values.ToList(), Closed = state.Closed.Values.ToList(),
            References = state.References.Values.ToList(), Listings = [],
        };
        var serializer = _system.Serialization.FindSerializerFor(taken);

        var bytes = serializer.ToBinary(taken);
        var back = (SkuSnapshot)_system.Serialization.Deserialize(bytes, serializer.Identifier, "sku.snapshot.v2");

        Assert.Equal(Json(plain), Json(back));
        Assert.Equal(Json(SkuSnapshot.Of(state)), Json(SkuSnapshot.Of(back.ToState(state.Limits))));
        Assert.Equal((1, 1, 1), (back.Open.Count, back.Closed.Count, back.References.Count));
    }

    [Fact]
    public void Manifests_are_stable()
    {
        // Renaming a manifest makes every journal written before unreadable: change this list only to add.
        var manifests = InventorySerializer.Registrations.ToDictionary(r => r.Type, r => r.Manifest);
        Assert.Equal("sku.e.reserved.v1", manifests[typeof(Reserved)]);
        Assert.Equal("sku.e.counted.v1", manifests[typeof(StockCounted)]);
        Assert.Equal("order.e.received.v1", manifests[typeof(OrderEvents.OrderReceived)]);
        Assert.Equal("sku.snapshot.v2", manifests[typeof(SkuSnapshot)]);
    }

    [Fact]
    public void Snapshots_are_written_compressed_and_those_written_plainly_before_stay_readable()
    {
        var state = SkuState.Empty("SKU-1").Apply(new StockCounted("SKU-1", 5_000, "count-1", "wms", [], Levels, At));
        for (var i = 0; i < 2_000; i++)
            state = state.Apply(new Reserved("SKU-1", $"order-{i}", "l1", 1, 1, 0, "ebay", false, Levels, At.AddSeconds(i)));
        var snapshot = SkuSnapshot.Of(state);
        var serializer = _system.Serialization.FindSerializerFor(snapshot);
        var plain = JsonSerializer.SerializeToUtf8Bytes(snapshot, InventorySerializer.Options);

        var written = serializer.ToBinary(snapshot);
        var fromWritten = _system.Serialization.Deserialize(written, serializer.Identifier, "sku.snapshot.v2");
        var fromPlain = _system.Serialization.Deserialize(plain, serializer.Identifier, "sku.snapshot.v1");

        Assert.True(written.Length * 5 < plain.Length, $"{written.Length} bytes written for {plain.Length} bytes of JSON");
        Assert.Equal(Json(snapshot), Json(fromWritten));
        Assert.Equal(Json(snapshot), Json(fromPlain));
        foreach (var (type, manifest) in InventorySerializer.ReadableOnly)
            Assert.Equal(manifest.Replace(".v1", ".v2"), InventorySerializer.Registrations.Single(r => r.Type == type).Manifest);
    }

    [Fact]
    public void An_unknown_manifest_fails_with_a_message_that_names_it()
    {
        var serializer = new InventorySerializer((ExtendedActorSystem)_system);
        var error = Assert.ThrowsAny<Exception>(() => serializer.FromBinary("{}"u8.ToArray(), "sku.e.from-the-future.v9"));
        Assert.Contains("sku.e.from-the-future.v9", error.Message);
    }

    private static string Json(object o) => JsonSerializer.Serialize(o, o.GetType());

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
