using InventorySync.Domain.Listings;

namespace InventorySync.Domain.Tests.Listings;

public sealed class MarketplacesTests
{
    [Fact]
    public void Every_kind_has_exactly_one_profile_in_declaration_order() =>
        Assert.Equal(Enum.GetValues<MarketplaceKind>(), Marketplaces.All.Select(p => p.Kind));

    [Theory]
    [InlineData(MarketplaceKind.Ebay, "ebay")]
    [InlineData(MarketplaceKind.EbayTrading, "ebay-trading")]
    [InlineData(MarketplaceKind.Amazon, "amazon")]
    [InlineData(MarketplaceKind.Rakuten, "rakuten")]
    [InlineData(MarketplaceKind.Mirakl, "mirakl")]
    [InlineData(MarketplaceKind.Shopify, "shopify")]
    [InlineData(MarketplaceKind.Magento, "magento")]
    [InlineData(MarketplaceKind.WooCommerce, "woocommerce")]
    [InlineData(MarketplaceKind.Webhook, "webhook")]
    public void Marketplace_wire_name_round_trips_case_insensitively(MarketplaceKind kind, string name)
    {
        Assert.Equal(name, Marketplaces.WireName(kind));
        Assert.Equal(name, Marketplaces.Profile(kind).WireName);
        Assert.True(Marketplaces.TryParse(name, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.True(Marketplaces.TryParse(name.ToUpperInvariant(), out parsed));
        Assert.Equal(kind, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("EbayTrading")]
    [InlineData("ebay_trading")]
    [InlineData(" ebay")]
    [InlineData("0")]
    [InlineData("etsy")]
    public void Unknown_marketplace_names_and_enum_member_names_do_not_parse(string? name) =>
        Assert.False(Marketplaces.TryParse(name, out _));

    [Theory]
    [InlineData(OutOfStockRule.End, "end")]
    [InlineData(OutOfStockRule.Zero, "zero")]
    [InlineData(OutOfStockRule.Disable, "disable")]
    [InlineData(OutOfStockRule.ZeroBackorder, "zero-backorder")]
    public void Out_of_stock_wire_name_round_trips_case_insensitively(OutOfStockRule rule, string name)
    {
        Assert.Equal(name, Marketplaces.WireName(rule));
        Assert.True(Marketplaces.TryParseOutOfStock(name, out var parsed));
        Assert.Equal(rule, parsed);
        Assert.True(Marketplaces.TryParseOutOfStock(name.ToUpperInvariant(), out parsed));
        Assert.Equal(rule, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ZeroBackorder")]
    [InlineData("zero_backorder")]
    [InlineData("1")]
    [InlineData("delete")]
    public void Unknown_out_of_stock_names_do_not_parse(string? name) =>
        Assert.False(Marketplaces.TryParseOutOfStock(name, out _));

    [Fact]
    public void Every_out_of_stock_rule_is_listed_once() =>
        Assert.Equal(Enum.GetValues<OutOfStockRule>().Order(), Marketplaces.OutOfStockRules.Order());

    [Theory]
    [InlineData(ListingStatus.Pending, "pending")]
    [InlineData(ListingStatus.Active, "active")]
    [InlineData(ListingStatus.Ended, "ended")]
    [InlineData(ListingStatus.Inactive, "inactive")]
    [InlineData(ListingStatus.Disabled, "disabled")]
    [InlineData(ListingStatus.Backorder, "backorder")]
    [InlineData(ListingStatus.Error, "error")]
    public void Listing_status_wire_names_are_lower_case(ListingStatus status, string name) =>
        Assert.Equal(name, Marketplaces.WireName(status));

    [Fact]
    public void Undefined_enum_values_have_no_wire_name()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Marketplaces.WireName((MarketplaceKind)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => Marketplaces.WireName((OutOfStockRule)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => Marketplaces.WireName((ListingStatus)99));
    }

    [Theory]
    [InlineData(MarketplaceKind.Ebay, OutOfStockRule.End, new[] { OutOfStockRule.End, OutOfStockRule.Zero })]
    [InlineData(MarketplaceKind.EbayTrading, OutOfStockRule.End, new[] { OutOfStockRule.End, OutOfStockRule.Zero })]
    [InlineData(MarketplaceKind.Amazon, OutOfStockRule.Zero, new[] { OutOfStockRule.Zero })]
    [InlineData(MarketplaceKind.Rakuten, OutOfStockRule.Disable, new[] { OutOfStockRule.Disable, OutOfStockRule.Zero })]
    [InlineData(MarketplaceKind.Mirakl, OutOfStockRule.Disable, new[] { OutOfStockRule.Disable, OutOfStockRule.Zero })]
    [InlineData(MarketplaceKind.Shopify, OutOfStockRule.Zero, new[] { OutOfStockRule.Zero, OutOfStockRule.ZeroBackorder })]
    [InlineData(MarketplaceKind.Magento, OutOfStockRule.Disable,
        new[] { OutOfStockRule.Disable, OutOfStockRule.Zero, OutOfStockRule.ZeroBackorder })]
    [InlineData(MarketplaceKind.WooCommerce, OutOfStockRule.Disable,
        new[] { OutOfStockRule.Disable, OutOfStockRule.Zero, OutOfStockRule.ZeroBackorder })]
    [InlineData(MarketplaceKind.Webhook, OutOfStockRule.Zero,
        new[] { OutOfStockRule.Zero, OutOfStockRule.End, OutOfStockRule.Disable, OutOfStockRule.ZeroBackorder })]
    public void Out_of_stock_rules_per_marketplace(MarketplaceKind kind, OutOfStockRule byDefault, OutOfStockRule[] supported)
    {
        var profile = Marketplaces.Profile(kind);

        Assert.Equal(byDefault, profile.DefaultOutOfStock);
        Assert.Equal(supported, profile.SupportedOutOfStock);
        Assert.All(Enum.GetValues<OutOfStockRule>(), rule => Assert.Equal(supported.Contains(rule), profile.Supports(rule)));
    }

    [Fact]
    public void Each_profile_supports_its_default_rule_and_lists_no_rule_twice() =>
        Assert.All(Marketplaces.All, p =>
        {
            Assert.True(p.Supports(p.DefaultOutOfStock), $"{p.WireName} does not support its default");
            Assert.Distinct(p.SupportedOutOfStock);
        });

    [Theory]
    [InlineData(MarketplaceKind.Ebay, 25, 25, 10.0, 10)]
    [InlineData(MarketplaceKind.EbayTrading, 4, 4, 50.0, 18)]
    [InlineData(MarketplaceKind.Amazon, 1, 10_000, 5.0, 5)]
    [InlineData(MarketplaceKind.Rakuten, 1_000, 10_000, 10.0 / 3600, 1)]
    [InlineData(MarketplaceKind.Mirakl, 1_000, 10_000, 1.0 / 60, 1)]
    [InlineData(MarketplaceKind.Shopify, 250, 250, 2.0, 2)]
    [InlineData(MarketplaceKind.Magento, 20, 20, 10.0, 10)]
    [InlineData(MarketplaceKind.WooCommerce, 100, 100, 5.0, 5)]
    [InlineData(MarketplaceKind.Webhook, 1, 1, 50.0, 50)]
    public void Batch_and_rate_defaults_per_marketplace(
        MarketplaceKind kind, int batchSize, int maxBatchSize, double ratePerSecond, int burst)
    {
        var profile = Marketplaces.Profile(kind);

        Assert.Equal((batchSize, maxBatchSize, ratePerSecond, burst),
            (profile.DefaultBatchSize, profile.MaxBatchSize, profile.DefaultRatePerSecond, profile.DefaultBurst));
    }

    [Fact]
    public void Defaults_are_positive_and_the_default_batch_fits_the_maximum() =>
        Assert.All(Marketplaces.All, p =>
        {
            Assert.InRange(p.DefaultBatchSize, 1, p.MaxBatchSize);
            Assert.True(p.DefaultRatePerSecond > 0, $"{p.WireName} rate");
            Assert.True(p.DefaultBurst >= 1, $"{p.WireName} burst");
        });
}
