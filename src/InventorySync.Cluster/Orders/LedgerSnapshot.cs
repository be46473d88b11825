using InventorySync.Domain;
using InventorySync.Domain.Orders;

namespace InventorySync.Cluster.Orders;

/// <summary>A ledger partition's open orders and the closed ones still inside the retention window.</summary>
public sealed record LedgerSnapshot(IReadOnlyList<OrderRecord> Orders) : IInventoryMessage
{
    public static LedgerSnapshot Of(LedgerState state) => new(state.Orders.Values.ToList());

    public LedgerState ToState() => new(Orders);
}
