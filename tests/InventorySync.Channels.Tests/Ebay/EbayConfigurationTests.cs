using System.Net;
using InventorySync.Channels.Ebay;
using InventorySync.Channels.Tests.Support;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using static InventorySync.Channels.Tests.Ebay.EbayUpdates;

namespace InventorySync.Channels.Tests.Ebay;

/// <summary>How the eBay adapters read a channel's configuration.</summary>
public sealed class EbayConfigurationTests : IDisposable
{
    private readonly MarketplaceClientFactory _factory = new(TimeProvider.System);

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData(MarketplaceKind.Ebay, typeof(EbayInventoryClient))]
    [InlineData(MarketplaceKind.EbayTrading, typeof(EbayTradingClient))]
    public void The_factory_makes_the_eBay_adapter_of_the_channels_marketplace(MarketplaceKind kind, Type adapter) =>
        Assert.IsType(adapter, _factory.Create(TestChannels.Definition("ebay-us", kind, null, "token")));

    [Theory]
    [InlineData(MarketplaceKind.Ebay)]
    [InlineData(MarketplaceKind.EbayTrading)]
    public void A_channel_without_credentials_is_refused_naming_the_keys(MarketplaceKind kind)
    {
        var error = Assert.Throws<InvalidOperationException>(() => _factory.Create(TestChannels.Definition("ebay-us", kind, null)));

        Assert.Contains("Channels:ebay-us:Credentials:AccessToken", error.Message);
        Assert.Contains("Channels:ebay-us:Credentials:RefreshToken", error.Message);
    }

    [Theory]
    [InlineData(MarketplaceKind.Ebay)]
    [InlineData(MarketplaceKind.EbayTrading)]
    public void An_access_token_a_header_cannot_carry_is_refused_without_quoting_it(MarketplaceKind kind)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            _factory.Create(TestChannels.Definition("ebay-us", kind, null, "secret-part\r\nX-Injected: 1")));

        Assert.Contains("Channels:ebay-us:Credentials:AccessToken", error.Message);
        Assert.DoesNotContain("secret-part", error.Message);
    }

    [Theory]
    [InlineData(MarketplaceKind.Ebay)]
    [InlineData(MarketplaceKind.EbayTrading)]
    public void A_base_url_that_is_not_http_is_refused_naming_the_key(MarketplaceKind kind)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            _factory.Create(TestChannels.Definition("ebay-us", kind, new Uri("ftp://api.ebay.com/"), "token")));

        Assert.Contains("Channels:ebay-us:BaseUrl", error.Message);
    }

    [Fact]
    public void A_site_id_that_is_not_a_number_is_refused_naming_the_key()
    {
        var channel = TestChannels.Definition("ebay-us", MarketplaceKind.EbayTrading, null, "token") with
        {
            Credentials = new Dictionary<string, string> { ["AccessToken"] = "token", ["SiteId"] = "EBAY_DE" },
        };

        var error = Assert.Throws<InvalidOperationException>(() => _factory.Create(channel));

        Assert.Contains("Channels:ebay-us:Credentials:SiteId", error.Message);
    }

    [Fact]
    public async Task Without_a_base_url_the_calls_go_to_eBays_production_root_and_the_site_id_is_sent()
    {
        var seen = new List<HttpRequestMessage>();
        using var http = new HttpClient(new Unreachable(seen));
        var trading = TestChannels.Definition("ebay-de", MarketplaceKind.EbayTrading, null) with
        {
            Credentials = new Dictionary<string, string> { ["AccessToken"] = "token", ["SiteId"] = "77" },
        };

        await new EbayInventoryClient(TestChannels.Definition("ebay-us", MarketplaceKind.Ebay, null, "token"), http, TimeProvider.System)
            .SendAsync([Update("O-1", 1)], default);
        await new EbayTradingClient(trading, http, TimeProvider.System).SendAsync([Update("300000000001", 1)], default);

        Assert.Equal(["https://api.ebay.com/sell/inventory/v1/bulk_update_price_quantity", "https://api.ebay.com/ws/api.dll"],
            seen.Select(r => r.RequestUri!.AbsoluteUri));
        Assert.Equal(["77"], seen[1].Headers.GetValues("X-EBAY-API-SITEID"));
    }

    /// <summary>Answers every request with 503 without sending it anywhere, keeping it for the test.</summary>
    private sealed class Unreachable(List<HttpRequestMessage> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
