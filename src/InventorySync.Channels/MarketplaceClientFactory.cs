using InventorySync.Channels.Webhook;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InventorySync.Channels;

/// <summary>
/// Makes each configured channel's adapter. Every adapter shares one HttpClient that neither retries, nor follows
/// redirects (a redirected POST would become a GET and could pass for applied), nor keeps cookies across channels;
/// its timeout is infinite because the gateway's cancellation token bounds each call.
/// </summary>
public sealed class MarketplaceClientFactory(TimeProvider clock) : IMarketplaceClientFactory, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        // The client lives as long as the node: renewing connections picks up DNS changes of the receivers.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <exception cref="InvalidOperationException">The channel's configuration lacks what its adapter needs.</exception>
    /// <exception cref="NotSupportedException">No adapter speaks the channel's marketplace yet.</exception>
    public IMarketplaceClient Create(ChannelDefinition channel) => channel.Marketplace switch
    {
        MarketplaceKind.Webhook => new WebhookClient(channel, _http, clock),
        MarketplaceKind.Ebay => new Ebay.EbayInventoryClient(channel, _http, clock),
        MarketplaceKind.EbayTrading => new Ebay.EbayTradingClient(channel, _http, clock),
        MarketplaceKind.Amazon => new Amazon.AmazonListingsClient(channel, _http, clock),
        _ => throw new NotSupportedException(
            $"Channel '{channel.Id}': no adapter for marketplace '{Marketplaces.WireName(channel.Marketplace)}' yet."),
    };

    public void Dispose() => _http.Dispose();
}

public static class MarketplaceAdapterRegistration
{
    /// <summary>
    /// Registers <see cref="MarketplaceClientFactory"/> as the <see cref="IMarketplaceClientFactory"/> singleton, unless
    /// one is registered already (a test's stand-in).
    /// </summary>
    public static IServiceCollection AddMarketplaceAdapters(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMarketplaceClientFactory, MarketplaceClientFactory>();
        return services;
    }
}
