using InventorySync.Sandbox.Amazon;
using InventorySync.Sandbox.Common;
using InventorySync.Sandbox.Ebay;

namespace InventorySync.Sandbox;

public static class SandboxEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the sandbox marketplaces under <c>/sandbox/{marketplace}</c>: each marketplace's API at its real paths
    /// (<c>/sandbox/ebay/sell/inventory/v1/…</c>, <c>/sandbox/ebay/ws/api.dll</c>,
    /// <c>/sandbox/amazon/listings/2021-08-01/…</c>, <c>/sandbox/amazon/feeds/2021-06-30/…</c>), so a client's base URL
    /// is <c>{host}/sandbox/{marketplace}</c>, and the control API at <c>/sandbox/{marketplace}/_control</c>.
    /// The marketplaces check their own tokens: the endpoints allow anonymous callers and stay out of OpenAPI documents.
    /// Needs <see cref="SandboxServiceCollectionExtensions.AddSandbox(IServiceCollection, Action{SandboxOptions}?)"/>.
    /// </summary>
    public static RouteGroupBuilder MapSandbox(this IEndpointRouteBuilder endpoints)
    {
        var marketplaces = endpoints.ServiceProvider.GetService<SandboxMarketplaces>()
            ?? throw new InvalidOperationException("Call services.AddSandbox(…) before app.MapSandbox().");

        var sandbox = endpoints.MapGroup("/sandbox").AllowAnonymous().ExcludeFromDescription();

        var ebay = sandbox.MapGroup($"/{marketplaces.Ebay.Name}");
        ebay.MapEbayInventoryApi(marketplaces.Ebay);
        ebay.MapEbayTradingApi(marketplaces.Ebay);
        ebay.MapControlApi(marketplaces.Ebay);

        var amazon = sandbox.MapGroup($"/{marketplaces.Amazon.Name}");
        amazon.MapAmazonListingsApi(marketplaces.Amazon);
        amazon.MapAmazonFeedsApi(marketplaces.Amazon);
        amazon.MapControlApi(marketplaces.Amazon);

        return sandbox;
    }
}
