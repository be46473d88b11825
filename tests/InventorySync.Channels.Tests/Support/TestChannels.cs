using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Tests.Support;

public static class TestChannels
{
    public static ChannelDefinition Definition(
        string id, MarketplaceKind kind, Uri? baseUrl, string? accessToken = null) =>
        new(id, kind, baseUrl,
            accessToken is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["AccessToken"] = accessToken },
            RatePerSecond: 50, Burst: 50, BatchSize: 1, BatchLinger: TimeSpan.Zero, OutOfStock: OutOfStockRule.Zero,
            CallTimeout: TimeSpan.FromSeconds(10), LandingGrace: TimeSpan.FromSeconds(20));
}
