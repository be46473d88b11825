using InventorySync.Channels.Tests.Support;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Channels.Tests;

public sealed class MarketplaceClientFactoryTests : IDisposable
{
    private readonly MarketplaceClientFactory _factory = new(TimeProvider.System);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public void A_webhook_channel_without_base_url_is_refused_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => _factory.Create(TestChannels.Definition("shop-eu", MarketplaceKind.Webhook, baseUrl: null)));

        Assert.Contains("Channels:shop-eu:BaseUrl", error.Message);
    }

    [Fact]
    public void A_webhook_channel_with_a_base_url_that_is_not_http_is_refused_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => _factory.Create(TestChannels.Definition("shop-eu", MarketplaceKind.Webhook, new Uri("ftp://shop.example/"))));

        Assert.Contains("Channels:shop-eu:BaseUrl", error.Message);
    }

    [Fact]
    public void An_access_token_a_header_cannot_carry_is_refused_without_quoting_it()
    {
        const string token = "secret-part\r\nX-Injected: 1";

        var error = Assert.Throws<InvalidOperationException>(() => _factory.Create(TestChannels.Definition(
            "shop-eu", MarketplaceKind.Webhook, new Uri("https://shop.example/hooks"), token)));

        Assert.Contains("Channels:shop-eu:Credentials:AccessToken", error.Message);
        Assert.DoesNotContain("secret-part", error.Message);
    }

    public static TheoryData<MarketplaceKind> KindsWithoutAdapter() =>
        new(Enum.GetValues<MarketplaceKind>().Except(
            [MarketplaceKind.Webhook, MarketplaceKind.Ebay, MarketplaceKind.EbayTrading, MarketplaceKind.Amazon]));

    [Theory]
    [MemberData(nameof(KindsWithoutAdapter))]
    public void A_marketplace_without_an_adapter_is_refused_by_its_wire_name(MarketplaceKind kind)
    {
        var error = Assert.Throws<NotSupportedException>(
            () => _factory.Create(TestChannels.Definition("acme", kind, new Uri("https://api.example/"))));

        Assert.Equal($"Channel 'acme': no adapter for marketplace '{Marketplaces.WireName(kind)}' yet.", error.Message);
    }

    [Fact]
    public void AddMarketplaceAdapters_registers_the_factory_as_one_singleton()
    {
        using var services = new ServiceCollection().AddMarketplaceAdapters().BuildServiceProvider();

        var factory = services.GetRequiredService<IMarketplaceClientFactory>();

        Assert.IsType<MarketplaceClientFactory>(factory);
        Assert.Same(factory, services.GetRequiredService<IMarketplaceClientFactory>());
    }

    [Fact]
    public void AddMarketplaceAdapters_keeps_a_factory_registered_before_it()
    {
        var standIn = new StandInFactory();
        using var services = new ServiceCollection()
            .AddSingleton<IMarketplaceClientFactory>(standIn)
            .AddMarketplaceAdapters()
            .BuildServiceProvider();

        Assert.Same(standIn, services.GetRequiredService<IMarketplaceClientFactory>());
    }

    private sealed class StandInFactory : IMarketplaceClientFactory
    {
        public IMarketplaceClient Create(ChannelDefinition channel) => throw new NotSupportedException();
    }
}
