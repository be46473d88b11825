using System.Collections.Concurrent;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Host.Tests.Support;

/// <summary>
/// A marketplace for in-process nodes: applies every update at once and records each call, per channel, so tests can
/// see exactly what the gateways sent. <see cref="Refuse"/> makes a listing's updates rejected with a message.
/// </summary>
public sealed class RecordingMarketplace : IMarketplaceClientFactory
{
    public sealed record Call(string Channel, IReadOnlyList<MarketplaceUpdate> Updates);

    public sealed record Shown(long Quantity, ListingStatus Status, long Version);

    private readonly ConcurrentQueue<Call> _calls = new();
    private readonly ConcurrentDictionary<(string Channel, string ListingId), Shown> _shown = new();
    private readonly ConcurrentDictionary<(string Channel, string ListingId), string> _refusals = new();

    public IReadOnlyList<Call> Calls => _calls.ToArray();

    public IEnumerable<MarketplaceUpdate> Sent(string channel, string listingId) =>
        Calls.Where(c => c.Channel == channel).SelectMany(c => c.Updates).Where(u => u.ListingId == listingId);

    public Shown? Showing(string channel, string listingId) => _shown.GetValueOrDefault((channel, listingId));

    public void Refuse(string channel, string listingId, string message) => _refusals[(channel, listingId)] = message;

    public IMarketplaceClient Create(ChannelDefinition channel) => new Client(this, channel.Id);

    private sealed class Client(RecordingMarketplace marketplace, string channel) : IMarketplaceClient
    {
        public Task<IReadOnlyList<UpdateOutcome>> SendAsync(
            IReadOnlyList<MarketplaceUpdate> batch, CancellationToken cancellationToken)
        {
            marketplace._calls.Enqueue(new Call(channel, batch));
            var outcomes = batch.Select(u =>
            {
                if (marketplace._refusals.TryGetValue((channel, u.ListingId), out var message))
                    return new UpdateOutcome(u.ListingId, UpdateResult.Rejected, Message: message);
                marketplace._shown[(channel, u.ListingId)] = new Shown(u.Quantity, u.Status, u.Version);
                return new UpdateOutcome(u.ListingId, UpdateResult.Applied);
            }).ToList();
            return Task.FromResult<IReadOnlyList<UpdateOutcome>>(outcomes);
        }
    }
}
