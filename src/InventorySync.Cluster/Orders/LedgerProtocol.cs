using InventorySync.Domain;
using InventorySync.Domain.Orders;

namespace InventorySync.Cluster.Orders;

public interface IWithOrderId
{
    string OrderId { get; }
}

public static class LedgerCommands
{
    public interface ILedgerMessage : IWithOrderId, IInventoryMessage;

    public sealed record PlaceOrder(OrderRequest Order) : ILedgerMessage
    {
        public string OrderId => Order.OrderId;
    }

    /// <summary>Cancels the given lines, or every line when <paramref name="Lines"/> is null.</summary>
    public sealed record CancelOrder(string OrderId, IReadOnlyList<string>? Lines) : ILedgerMessage;

    /// <summary>Dispatches the given lines, or every line when <paramref name="Lines"/> is null.</summary>
    public sealed record DispatchOrder(string OrderId, IReadOnlyList<string>? Lines) : ILedgerMessage;

    public sealed record GetOrder(string OrderId) : ILedgerMessage;
}

public enum OrderResultCode
{
    Ok,
    /// <summary>The request breaks an input rule (an unknown line id, say).</summary>
    Invalid,
    NotFound,
    /// <summary>The same order id with other lines, or a line that cannot take the operation (dispatching a back-order).</summary>
    Conflict,
    /// <summary>A SKU did not answer in time; the order is recorded and will be finished, retry for its answer.</summary>
    Unavailable,
}

/// <summary>The ledger's answer: the order as it stands (lines with status and state), or why not.</summary>
public sealed record OrderReply(OrderResultCode Code, string? Detail, OrderRecord? Order) : IInventoryMessage;
