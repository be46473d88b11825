using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Ebay;

/// <summary>
/// The outcomes of one batch, gathered across the calls it takes. Once eBay throttles one of them, the round makes
/// no further call: the updates still waiting are throttled alike, and the gateway waits before sending them again.
/// </summary>
internal sealed class EbayRound(IReadOnlyList<MarketplaceUpdate> batch)
{
    private readonly Dictionary<string, UpdateOutcome> _outcomes = new(StringComparer.Ordinal);

    /// <summary>The first throttling answer of the round, if any.</summary>
    public Verdict? Throttled { get; private set; }

    public bool IsSettled(MarketplaceUpdate update) => _outcomes.ContainsKey(update.ListingId);

    public void Settle(MarketplaceUpdate update, Verdict verdict, string? currentListingId = null) =>
        Settle(update, verdict.For(update, currentListingId));

    public void Settle(MarketplaceUpdate update, UpdateOutcome outcome)
    {
        _outcomes[update.ListingId] = outcome;
        if (outcome.Result == UpdateResult.Throttled)
            Throttled ??= new Verdict(UpdateResult.Throttled, outcome.Message, outcome.RetryAfter);
    }

    /// <summary>Settles the updates as throttled when the round was; true when it was.</summary>
    public bool SkipIfThrottled(IEnumerable<MarketplaceUpdate> updates)
    {
        if (Throttled is not { } throttled) return false;
        foreach (var update in updates) Settle(update, throttled);
        return true;
    }

    /// <summary>One outcome per update, in the batch's order (every update is settled by then).</summary>
    public IReadOnlyList<UpdateOutcome> Outcomes() => batch.Select(update => _outcomes[update.ListingId]).ToList();
}
