using InventorySync.Domain.Orders;
using InventorySync.Domain.Validation;

namespace InventorySync.Domain.Tests.Validation;

public sealed class InputRulesTests
{
    private static OrderRequest ValidOrder(int lines = 2) => new("order-1", "ebay", false,
        Enumerable.Range(1, lines).Select(i => new OrderLine($"line-{i}", $"SKU-{i}", i)).ToList());

    private static OrderRequest WithLines(params OrderLine[] lines) => new("order-1", "ebay", false, lines);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Missing_or_blank_identifier_is_required(string? value) =>
        Assert.Equal("orderId is required and must not be empty.", InputRules.Identifier("orderId", value));

    [Fact]
    public void Identifier_of_100_characters_is_accepted_and_101_is_too_long()
    {
        Assert.Null(InputRules.Identifier("orderId", new string('a', 100)));
        Assert.Equal("orderId must be at most 100 characters (got 101).",
            InputRules.Identifier("orderId", new string('a', 101)));
    }

    [Fact]
    public void Single_character_identifier_is_accepted() => Assert.Null(InputRules.Identifier("orderId", "a"));

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\u0000b")]
    [InlineData("ab\u007f")]
    [InlineData("\u001bab")]
    [InlineData("a\u0085b")]
    public void Identifier_with_control_characters_is_refused(string value) =>
        Assert.Equal("lineId must not contain control characters.", InputRules.Identifier("lineId", value));

    [Fact]
    public void Identifier_with_spaces_and_unicode_letters_is_accepted() =>
        Assert.Null(InputRules.Identifier("sku", "Café crème 500 g / Größe-XL"));

    [Fact]
    public void Sku_rule_names_the_sku_field()
    {
        Assert.Equal("sku is required and must not be empty.", InputRules.Sku(""));
        Assert.Equal("sku must be at most 100 characters (got 101).", InputRules.Sku(new string('s', 101)));
    }

    [Fact]
    public void Reference_of_200_characters_is_accepted_and_201_is_too_long()
    {
        Assert.Null(InputRules.Reference(new string('r', 200)));
        Assert.Equal("reference must be at most 200 characters (got 201).", InputRules.Reference(new string('r', 201)));
        Assert.Equal("reference is required and must not be empty.", InputRules.Reference(null));
    }

    [Theory]
    [InlineData(null, "quantity is required.")]
    [InlineData(0L, "quantity must be at least 1 (got 0).")]
    [InlineData(-1L, "quantity must be at least 1 (got -1).")]
    [InlineData(1L, null)]
    [InlineData(1_000_000L, null)]
    [InlineData(1_000_001L, "quantity must be at most 1000000 (got 1000001).")]
    [InlineData(long.MaxValue, "quantity must be at most 1000000 (got 9223372036854775807).")]
    public void Line_quantity_boundaries(long? value, string? error) => Assert.Equal(error, InputRules.LineQuantity(value));

    [Theory]
    [InlineData(null, "onHand is required.")]
    [InlineData(-1L, "onHand must not be negative (got -1).")]
    [InlineData(0L, null)]
    [InlineData(1_000_000_000L, null)]
    [InlineData(1_000_000_001L, "onHand must be at most 1000000000 (got 1000000001).")]
    public void On_hand_boundaries(long? value, string? error) => Assert.Equal(error, InputRules.OnHand(value));

    [Theory]
    [InlineData(null, "delta is required.")]
    [InlineData(0L, "delta must not be zero: a positive delta is a receipt, a negative one a write-off.")]
    [InlineData(1L, null)]
    [InlineData(-1L, null)]
    [InlineData(1_000_000_000L, null)]
    [InlineData(-1_000_000_000L, null)]
    [InlineData(1_000_000_001L, "delta must be between -1000000000 and 1000000000 (got 1000000001).")]
    [InlineData(-1_000_000_001L, "delta must be between -1000000000 and 1000000000 (got -1000000001).")]
    public void Delta_boundaries(long? value, string? error) => Assert.Equal(error, InputRules.Delta(value));

    [Fact]
    public void Valid_order_has_no_errors() => Assert.Empty(InputRules.Order(ValidOrder()));

    [Fact]
    public void Order_of_exactly_500_lines_is_valid() => Assert.Empty(InputRules.Order(ValidOrder(500)));

    [Fact]
    public void Order_of_more_than_500_lines_is_refused_on_the_lines_field()
    {
        var errors = InputRules.Order(ValidOrder(501));

        Assert.Equal(["an order may hold at most 500 lines (got 501)."], Assert.Single(errors, e => e.Key == "lines").Value);
        Assert.Single(errors);
    }

    [Fact]
    public void Missing_order_is_reported_on_the_body_or_on_its_prefix()
    {
        Assert.Equal(["an order is required."], InputRules.Order(null)["body"]);
        Assert.Equal(["an order is required."], InputRules.Order(null, "orders[3].")["orders[3]"]);
    }

    [Fact]
    public void Order_without_lines_is_refused_on_the_lines_field()
    {
        Assert.Equal(["lines must hold at least one line."], InputRules.Order(WithLines())["lines"]);
        Assert.Equal(["lines must hold at least one line."],
            InputRules.Order(new OrderRequest("order-1", "ebay", false, null!))["lines"]);
    }

    [Fact]
    public void Order_and_channel_identifiers_are_checked_on_their_fields()
    {
        var errors = InputRules.Order(ValidOrder() with { OrderId = "", Channel = new string('c', 101) });

        Assert.Equal(["orderId is required and must not be empty."], errors["orderId"]);
        Assert.Equal(["channel must be at most 100 characters (got 101)."], errors["channel"]);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Duplicate_line_ids_are_reported_on_the_repeated_line()
    {
        var errors = InputRules.Order(WithLines(new("a", "SKU-1", 1), new("b", "SKU-2", 1), new("a", "SKU-3", 1)));

        Assert.Equal(["lineId 'a' appears more than once in the order."], errors["lines[2].lineId"]);
        Assert.Single(errors);
    }

    [Fact]
    public void Line_ids_are_compared_case_sensitively() =>
        Assert.Empty(InputRules.Order(WithLines(new("a", "SKU-1", 1), new("A", "SKU-1", 1))));

    [Fact]
    public void Each_bad_line_field_is_reported_under_its_json_path()
    {
        var errors = InputRules.Order(WithLines(
            new("ok", "SKU-1", 1),
            new("", new string('s', 101), 0),
            new("x\u0007", "SKU-2", InputRules.MaxLineQuantity + 1)));

        Assert.Equal(["lineId is required and must not be empty."], errors["lines[1].lineId"]);
        Assert.Equal(["sku must be at most 100 characters (got 101)."], errors["lines[1].sku"]);
        Assert.Equal(["quantity must be at least 1 (got 0)."], errors["lines[1].quantity"]);
        Assert.Equal(["lineId must not contain control characters."], errors["lines[2].lineId"]);
        Assert.Equal(["quantity must be at most 1000000 (got 1000001)."], errors["lines[2].quantity"]);
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Null_line_is_reported_on_its_index()
    {
        var errors = InputRules.Order(WithLines(new("a", "SKU-1", 1), null!));

        Assert.Equal(["a line must not be null."], errors["lines[1]"]);
        Assert.Single(errors);
    }

    [Fact]
    public void Batch_prefix_is_prepended_to_every_field_key()
    {
        var errors = InputRules.Order(WithLines(new OrderLine("a", "", 1)) with { Channel = "" }, "orders[7].");

        Assert.Equal(["orders[7].channel", "orders[7].lines[0].sku"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Over_long_order_still_reports_its_bad_lines()
    {
        var lines = ValidOrder(501).Lines.ToList();
        lines[42] = lines[42] with { Quantity = 0 };

        var errors = InputRules.Order(WithLines([.. lines]));

        Assert.Contains("lines", errors.Keys);
        Assert.Contains("lines[42].quantity", errors.Keys);
    }

    [Fact]
    public void Validation_errors_gather_several_messages_per_field_and_ignore_nulls()
    {
        var errors = new ValidationErrors();
        Assert.True(errors.IsEmpty);
        errors.Add("f", null);
        Assert.True(errors.IsEmpty);
        errors.Add("f", "one");
        errors.Add("f", "two");

        Assert.False(errors.IsEmpty);
        Assert.Equal(["one", "two"], errors.ToDictionary()["f"]);
    }
}
