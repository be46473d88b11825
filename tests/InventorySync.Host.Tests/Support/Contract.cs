using System.Text.Json;

namespace InventorySync.Host.Tests.Support;

// The contract as a client reads it, written apart from the host's types so a change of the wire format shows here.

public sealed record LevelsJson(long OnHand, long Reserved, long Backordered, long Available);

public sealed record SkuJson(string Sku, long OnHand, long Reserved, long Backordered, long Available, ListingJson[] Listings)
{
    public LevelsJson Levels => new(OnHand, Reserved, Backordered, Available);

    public ListingJson Listing(string channel, string listingId) =>
        Listings.Single(x => x.Channel == channel && x.ListingId == listingId);
}

public sealed record ListingJson(
    string Channel, string ListingId, string CurrentListingId, string Status, long DesiredQuantity,
    long? PublishedQuantity, long DesiredVersion, long SyncedVersion, string? LastError, ListingSettingsJson Settings)
{
    public bool Synced => SyncedVersion == DesiredVersion;
}

public sealed record ListingSettingsJson(int Percentage, long Buffer, long MinQuantity, long? MaxQuantity, string OutOfStock);

public sealed record ChannelJson(
    string Channel, string Marketplace, int Listings, int Queued, int InFlight, long Applied, long Coalesced,
    long Suppressed, long Throttled, long Failures, long Rejected, long Calls, double Tokens, bool Paused,
    double? OldestPendingAgeMs);

public sealed record ChannelsJson(ChannelJson[] Channels);

public sealed record OrderJson(string OrderId, string Channel, OrderLineJson[] Lines)
{
    public OrderLineJson Line(string lineId) => Lines.Single(l => l.LineId == lineId);
}

public sealed record OrderLineJson(
    string LineId, string Sku, long Quantity, string? Status, string State, long ReservedQuantity, long BackorderedQuantity);

public sealed record BatchJson(BatchItemJson[] Orders);

public sealed record BatchItemJson(int Status, OrderJson? Order, JsonElement? Problem);

public sealed record HistoryJson(HistoryEntryJson[] Entries);

public sealed record HistoryEntryJson(
    DateTimeOffset At, string Kind, LevelsJson Before, LevelsJson After, string? Source, string? Reference);

public sealed record IncidentsJson(IncidentJson[] Incidents);

public sealed record IncidentJson(
    DateTimeOffset At, string Sku, string Cause, long BackorderedQuantity, IncidentLineJson[] Lines, string? Channel,
    string? Reference);

public sealed record IncidentLineJson(string OrderId, string LineId, long Quantity);
