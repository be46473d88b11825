using InventorySync.Domain.Listings;

namespace InventorySync.Domain.Tests.Listings;

public sealed class ListingRulesTests
{
    private const MarketplaceKind Ebay = MarketplaceKind.Ebay;

    private static string? Check(
        int? percentage = null, long? buffer = null, long? minQuantity = null, long? maxQuantity = null,
        string? outOfStock = null, MarketplaceKind marketplace = Ebay) =>
        ListingRules.Check(percentage, buffer, minQuantity, maxQuantity, outOfStock, marketplace);

    [Fact]
    public void All_fields_absent_is_valid_for_every_marketplace() =>
        Assert.All(Enum.GetValues<MarketplaceKind>(), kind => Assert.Null(Check(marketplace: kind)));

    [Fact]
    public void All_fields_set_within_range_is_valid() =>
        Assert.Null(Check(50, 2, 3, 10, "zero"));

    [Theory]
    [InlineData(0, "percentage must be between 1 and 100 (got 0).")]
    [InlineData(-5, "percentage must be between 1 and 100 (got -5).")]
    [InlineData(101, "percentage must be between 1 and 100 (got 101).")]
    [InlineData(1, null)]
    [InlineData(100, null)]
    public void Percentage_boundaries(int percentage, string? error) => Assert.Equal(error, Check(percentage));

    [Theory]
    [InlineData(-1L, "buffer must not be negative (got -1).")]
    [InlineData(0L, null)]
    [InlineData(long.MaxValue, null)]
    public void Buffer_boundaries(long buffer, string? error) => Assert.Equal(error, Check(buffer: buffer));

    [Theory]
    [InlineData(-1L, "minQuantity must not be negative (got -1).")]
    [InlineData(0L, null)]
    [InlineData(1_000L, null)]
    public void Minimum_boundaries(long minQuantity, string? error) => Assert.Equal(error, Check(minQuantity: minQuantity));

    [Theory]
    [InlineData(-1L, "maxQuantity must not be negative (got -1).")]
    [InlineData(0L, null)]
    [InlineData(1_000L, null)]
    public void Maximum_boundaries(long maxQuantity, string? error) => Assert.Equal(error, Check(maxQuantity: maxQuantity));

    [Fact]
    public void Maximum_below_the_minimum_is_refused_and_equal_is_accepted()
    {
        Assert.Equal("maxQuantity must not be below minQuantity (got maxQuantity 3, minQuantity 5).",
            Check(minQuantity: 5, maxQuantity: 3));
        Assert.Null(Check(minQuantity: 5, maxQuantity: 5));
        Assert.Null(Check(minQuantity: 5));
    }

    [Theory]
    [InlineData("")]
    [InlineData("delete")]
    [InlineData("ZeroBackorder")]
    [InlineData("0")]
    public void Unknown_out_of_stock_value_lists_the_allowed_ones(string outOfStock) =>
        Assert.Equal($"outOfStock must be one of end, zero, disable, zero-backorder (got '{outOfStock}').",
            Check(outOfStock: outOfStock));

    [Theory]
    [InlineData(MarketplaceKind.Ebay, "disable", "outOfStock 'disable' is not supported by ebay (supported: end, zero).")]
    [InlineData(MarketplaceKind.EbayTrading, "zero-backorder",
        "outOfStock 'zero-backorder' is not supported by ebay-trading (supported: end, zero).")]
    [InlineData(MarketplaceKind.Amazon, "end", "outOfStock 'end' is not supported by amazon (supported: zero).")]
    [InlineData(MarketplaceKind.Rakuten, "end", "outOfStock 'end' is not supported by rakuten (supported: disable, zero).")]
    [InlineData(MarketplaceKind.Mirakl, "zero-backorder",
        "outOfStock 'zero-backorder' is not supported by mirakl (supported: disable, zero).")]
    [InlineData(MarketplaceKind.Shopify, "disable",
        "outOfStock 'disable' is not supported by shopify (supported: zero, zero-backorder).")]
    [InlineData(MarketplaceKind.Magento, "end",
        "outOfStock 'end' is not supported by magento (supported: disable, zero, zero-backorder).")]
    [InlineData(MarketplaceKind.WooCommerce, "END",
        "outOfStock 'end' is not supported by woocommerce (supported: disable, zero, zero-backorder).")]
    public void Out_of_stock_rule_the_marketplace_cannot_carry_out_names_the_ones_it_can(
        MarketplaceKind marketplace, string outOfStock, string error) =>
        Assert.Equal(error, Check(outOfStock: outOfStock, marketplace: marketplace));

    [Fact]
    public void Every_rule_a_marketplace_supports_is_accepted_in_any_case() =>
        Assert.All(Marketplaces.All, p => Assert.All(p.SupportedOutOfStock, rule =>
        {
            Assert.Null(Check(outOfStock: Marketplaces.WireName(rule), marketplace: p.Kind));
            Assert.Null(Check(outOfStock: Marketplaces.WireName(rule).ToUpperInvariant(), marketplace: p.Kind));
        }));

    [Fact]
    public void First_broken_rule_is_reported() =>
        Assert.Equal("percentage must be between 1 and 100 (got 0).", Check(0, -1, -1, -1, "nope"));

    [Fact]
    public void Absent_fields_resolve_to_the_defaults_and_the_channels_rule() =>
        Assert.Equal(new ListingSettings(100, 0, 0, null, OutOfStockRule.Zero),
            ListingRules.Resolve(null, null, null, null, null, Ebay, OutOfStockRule.Zero));

    [Fact]
    public void Given_fields_resolve_to_themselves() =>
        Assert.Equal(new ListingSettings(40, 2, 3, 9, OutOfStockRule.ZeroBackorder),
            ListingRules.Resolve(40, 2, 3, 9, "Zero-Backorder", MarketplaceKind.Magento, OutOfStockRule.Disable));

    [Fact]
    public void Resolving_fields_that_break_a_rule_throws_with_the_rules_message()
    {
        Assert.Equal("percentage must be between 1 and 100 (got 0).",
            Assert.Throws<ArgumentException>(() => ListingRules.Resolve(0, null, null, null, null, Ebay, OutOfStockRule.End)).Message);
        Assert.Equal("outOfStock must be one of end, zero, disable, zero-backorder (got 'nope').",
            Assert.Throws<ArgumentException>(() => ListingRules.Resolve(null, null, null, null, "nope", Ebay, OutOfStockRule.End)).Message);
        Assert.Equal("outOfStock 'end' is not supported by rakuten (supported: disable, zero).",
            Assert.Throws<ArgumentException>(() =>
                ListingRules.Resolve(null, null, null, null, "end", MarketplaceKind.Rakuten, OutOfStockRule.Disable)).Message);
    }

    [Fact]
    public void Resolving_with_a_channel_default_the_marketplace_cannot_carry_out_throws() =>
        Assert.Equal("outOfStock 'end' is not supported by amazon (supported: zero).",
            Assert.Throws<ArgumentException>(() =>
                ListingRules.Resolve(null, null, null, null, null, MarketplaceKind.Amazon, OutOfStockRule.End)).Message);

    [Fact]
    public void Resolved_settings_pass_the_domain_check() =>
        Assert.All(Marketplaces.All, p => Assert.Null(ListingRules.Check(
            ListingRules.Resolve(null, null, null, null, null, p.Kind, p.DefaultOutOfStock), p.Kind)));

    [Fact]
    public void Domain_check_of_resolved_settings_gives_the_same_messages()
    {
        var valid = new ListingSettings(100, 0, 0, null, OutOfStockRule.End);

        Assert.Null(ListingRules.Check(valid, Ebay));
        Assert.Equal("percentage must be between 1 and 100 (got 101).", ListingRules.Check(valid with { Percentage = 101 }, Ebay));
        Assert.Equal("buffer must not be negative (got -2).", ListingRules.Check(valid with { Buffer = -2 }, Ebay));
        Assert.Equal("minQuantity must not be negative (got -3).", ListingRules.Check(valid with { MinQuantity = -3 }, Ebay));
        Assert.Equal("maxQuantity must not be negative (got -4).", ListingRules.Check(valid with { MaxQuantity = -4 }, Ebay));
        Assert.Equal("maxQuantity must not be below minQuantity (got maxQuantity 1, minQuantity 2).",
            ListingRules.Check(valid with { MinQuantity = 2, MaxQuantity = 1 }, Ebay));
        Assert.Equal("outOfStock 'end' is not supported by shopify (supported: zero, zero-backorder).",
            ListingRules.Check(valid, MarketplaceKind.Shopify));
        Assert.Equal("outOfStock must be one of end, zero, disable, zero-backorder (got '42').",
            ListingRules.Check(valid with { OutOfStock = (OutOfStockRule)42 }, Ebay));
    }

    [Theory]
    [InlineData(null, "listingId is required and must not be empty.")]
    [InlineData("", "listingId is required and must not be empty.")]
    [InlineData("  ", "listingId is required and must not be empty.")]
    [InlineData("12\n3", "listingId must not contain control characters.")]
    [InlineData("123/456", null)]
    [InlineData("/", "listingId must not start or end with '/' or contain '//'.")]
    [InlineData("123/", "listingId must not start or end with '/' or contain '//'.")]
    [InlineData("123//456", "listingId must not start or end with '/' or contain '//'.")]
    [InlineData("110553960123", null)]
    [InlineData("gid-1234@5678", null)]
    [InlineData("SKU-1@default", null)]
    [InlineData("Café 500 g", null)]
    public void Listing_id_rules(string? listingId, string? error) => Assert.Equal(error, ListingRules.CheckListingId(listingId));

    [Fact]
    public void Listing_id_of_200_characters_is_accepted_and_201_is_too_long()
    {
        Assert.Null(ListingRules.CheckListingId(new string('l', 200)));
        Assert.Equal("listingId must be at most 200 characters (got 201).", ListingRules.CheckListingId(new string('l', 201)));
    }

    [Theory]
    [InlineData(null, "channel is required and must not be empty.")]
    [InlineData("", "channel is required and must not be empty.")]
    [InlineData("eb\tay", "channel must not contain control characters.")]
    [InlineData("ebay fr", "channel may contain only the letters A-Z and a-z, digits, '.', '_' and '-'.")]
    [InlineData("ebay/fr", "channel may contain only the letters A-Z and a-z, digits, '.', '_' and '-'.")]
    [InlineData("ébay", "channel may contain only the letters A-Z and a-z, digits, '.', '_' and '-'.")]
    [InlineData("ebay:fr", "channel may contain only the letters A-Z and a-z, digits, '.', '_' and '-'.")]
    [InlineData("ebay-fr", null)]
    [InlineData("Amazon.EU_2", null)]
    public void Channel_id_rules(string? channel, string? error) => Assert.Equal(error, ListingRules.CheckChannelId(channel));

    [Fact]
    public void Channel_id_of_100_characters_is_accepted_and_101_is_too_long()
    {
        Assert.Null(ListingRules.CheckChannelId(new string('c', 100)));
        Assert.Equal("channel must be at most 100 characters (got 101).", ListingRules.CheckChannelId(new string('c', 101)));
    }
}
