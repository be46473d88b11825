using System.Text.Json.Serialization;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.Host.Orders;

/// <summary>Body of <c>POST /api/v1/orders</c>. Fields are nullable so a missing one is reported, not defaulted.</summary>
public sealed record PlaceOrderBody(string? OrderId, string? Channel, bool? AllowBackorder, List<OrderLineBody?>? Lines);

public sealed record OrderLineBody(string? LineId, string? Sku, long? Quantity);

public sealed record OrderBatchBody(List<PlaceOrderBody?>? Orders);

/// <summary>Body of cancel and dispatch: the lines to act on, or every line when left out.</summary>
public sealed record LineSelectionBody(List<string?>? Lines);

public sealed record OrderResponse(string OrderId, string Channel, IReadOnlyList<OrderLineResponse> Lines)
{
    public static OrderResponse From(OrderRecord order) => new(order.OrderId, order.Channel,
        order.Lines.Select(l => new OrderLineResponse(
            l.LineId, l.Sku, l.Quantity, l.Status, l.State, l.ReservedQuantity, l.BackorderedQuantity)).ToList());
}

/// <param name="Status">What the SKU first decided; null only while the line is undecided.</param>
/// <param name="State">Where the line stands now.</param>
public sealed record OrderLineResponse(
    string LineId, string Sku, long Quantity, LineStatus? Status, LineState State,
    long ReservedQuantity, long BackorderedQuantity);

public sealed record OrderBatchResponse(IReadOnlyList<OrderBatchItem> Orders);

/// <summary>One submitted order's answer: its HTTP status, and the order (200) or the problem (otherwise).</summary>
public sealed record OrderBatchItem(
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OrderResponse? Order,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProblemDetails? Problem);
