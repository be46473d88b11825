namespace InventorySync.Channels.Amazon;

/// <summary>
/// The SKUs of feeds this client created and has not seen finish (it stopped waiting at the call's timeout, or reading
/// the feed failed): Amazon may still apply them. A batch touching one of them goes as a feed as long as that feed may
/// still be queued, because Amazon processes a seller's feeds one after the other in the order they were created, so a
/// newer feed lands after it while a PATCH could land before it and then be overwritten by the older value.
/// </summary>
internal sealed class UnfinishedFeeds
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, string> _feedOfSku = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _skusOfFeed = new(StringComparer.Ordinal);

    public void Started(string feedId, IReadOnlyList<string> skus)
    {
        lock (_sync)
        {
            _skusOfFeed[feedId] = skus;
            // A SKU in an older unfinished feed now waits on this one: it is processed after the older one.
            foreach (var sku in skus) _feedOfSku[sku] = feedId;
        }
    }

    /// <summary>Amazon finished the feed (or no longer knows it): nothing of it can land any more.</summary>
    public void Finished(string feedId)
    {
        lock (_sync)
        {
            if (!_skusOfFeed.Remove(feedId, out var skus)) return;
            foreach (var sku in skus)
            {
                if (_feedOfSku.TryGetValue(sku, out var newest) && newest == feedId) _feedOfSku.Remove(sku);
            }
        }
    }

    /// <summary>The unfinished feeds that hold any of these SKUs.</summary>
    public IReadOnlyList<string> Holding(IEnumerable<string> skus)
    {
        lock (_sync)
        {
            if (_feedOfSku.Count == 0) return [];
            return skus.Select(sku => _feedOfSku.GetValueOrDefault(sku)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        }
    }
}
