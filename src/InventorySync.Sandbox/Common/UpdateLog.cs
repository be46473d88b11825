namespace InventorySync.Sandbox.Common;

/// <summary>One applied update: what the listing shows after it.</summary>
/// <param name="Listing">The listing's key: the offer id, the first item id of a Trading listing, the seller SKU.</param>
/// <param name="ListingId">The marketplace's listing id the update landed on (a relist gives a new one).</param>
public sealed record UpdateLogEntry(
    long Sequence,
    DateTimeOffset Time,
    string Listing,
    string ListingId,
    string Operation,
    int Quantity,
    string Status);

/// <summary>Every applied update with its time, bounded to the newest <c>capacity</c> entries.</summary>
internal sealed class UpdateLog(TimeProvider clock, int capacity)
{
    private readonly Queue<UpdateLogEntry> entries = new();
    private readonly Lock sync = new();
    private long sequence;

    public void Append(string listing, string listingId, string operation, int quantity, string status)
    {
        lock (sync)
        {
            entries.Enqueue(new UpdateLogEntry(++sequence, clock.GetUtcNow(), listing, listingId, operation, quantity, status));
            if (entries.Count > capacity)
            {
                entries.Dequeue();
            }
        }
    }

    /// <summary>The entries of a listing (its key or any of its listing ids) at or after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<UpdateLogEntry> Query(string? listing, DateTimeOffset? since)
    {
        lock (sync)
        {
            return entries
                .Where(entry => listing is null || entry.Listing == listing || entry.ListingId == listing)
                .Where(entry => since is null || entry.Time >= since)
                .ToList();
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            entries.Clear();
        }
    }
}
