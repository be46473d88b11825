using InventorySync.Domain;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Listings;

public static class ListingSignals
{
    /// <summary>
    /// Sent by a channel gateway to a SKU: (re)publish that listing to the gateway now, starting the SKU if it is not
    /// running. Without <see cref="Force"/> only a pending (unacknowledged) listing is published; with it (resync) the
    /// listing is published even when acknowledged. No answer.
    /// </summary>
    public sealed record SyncListing(string Sku, string Channel, string ListingId, bool Force) : IWithSku, IInventoryMessage;
}
