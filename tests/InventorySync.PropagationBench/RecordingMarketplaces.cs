using System.Collections.Concurrent;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.PropagationBench;

/// <summary>
/// Marketplaces that apply every update at once and record each call with its time: when each (listing, version)
/// was applied, whether an update changed nothing the marketplace showed (a no-op), and the call times per channel.
/// </summary>
public sealed class RecordingMarketplaces(TimeProvider clock) : IMarketplaceClientFactory
{
    public sealed record Call(DateTimeOffset At, int Updates, int NoOps);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Call>> _calls = new();
    private readonly ConcurrentDictionary<(string Channel, string Listing), (long Quantity, ListingStatus Status)> _shown = new();
    private readonly ConcurrentDictionary<(string Channel, string Listing), ConcurrentQueue<(long Version, long Quantity, DateTimeOffset At)>> _applied = new();

    public (long Quantity, ListingStatus Status)? Shown(string channel, string listing) =>
        _shown.TryGetValue((channel, listing), out var shown) ? shown : null;

    public IReadOnlyList<Call> Calls(string channel) => _calls.TryGetValue(channel, out var q) ? q.ToArray() : [];

    /// <summary>Every update applied to the listing, in the order the marketplace applied them.</summary>
    public IReadOnlyList<(long Version, long Quantity, DateTimeOffset At)> Applied(string channel, string listing) =>
        _applied.TryGetValue((channel, listing), out var applied) ? applied.ToArray() : [];

    public IMarketplaceClient Create(ChannelDefinition channel) => new Client(this, channel.Id);

    private sealed class Client(RecordingMarketplaces owner, string channel) : IMarketplaceClient
    {
        public Task<IReadOnlyList<UpdateOutcome>> SendAsync(IReadOnlyList<MarketplaceUpdate> batch, CancellationToken ct)
        {
            var now = owner.Clock.GetUtcNow();
            var noOps = 0;
            foreach (var u in batch)
            {
                var key = (channel, u.ListingId);
                if (owner._shown.TryGetValue(key, out var shown) && shown == (u.Quantity, u.Status)) noOps++;
                owner._shown[key] = (u.Quantity, u.Status);
                owner._applied.GetOrAdd(key, _ => new()).Enqueue((u.Version, u.Quantity, now));
            }
            owner._calls.GetOrAdd(channel, _ => new()).Enqueue(new Call(now, batch.Count, noOps));
            return Task.FromResult<IReadOnlyList<UpdateOutcome>>(
                batch.Select(u => new UpdateOutcome(u.ListingId, UpdateResult.Applied)).ToList());
        }
    }

    private TimeProvider Clock => clock;
}
