using System.Text.Json;

namespace InventorySync.Host.Tests.Support;

// The contract as a client reads it, written apart from the host's types so a change of the wire format shows here.

public sealed record LevelsJson(long OnHand, long Reserved, long Backordered, long Available);

public sealed record SkuJson(string Sku, long OnHand, long Reserved, long Backordered, long Available, JsonElement[] Listings)
{
    public LevelsJson Levels => new(OnHand, Reserved, Backordered, Available);
}

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
