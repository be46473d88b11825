using InventorySync.Host.Orders;

namespace InventorySync.Host.Tests.Api;

public sealed class OrderInputTests
{
    // Each body is parsed afresh, so without pooling every order would hold strings of its own.
    private static PlaceOrderBody Body(string orderId) => new(
        orderId, new string("ebay-uk".AsSpan()), false,
        [new OrderLineBody(new string("1".AsSpan()), new string("SKU-RED-M".AsSpan()), 2)]);

    [Fact]
    public void Orders_share_one_instance_of_a_repeated_channel_sku_and_line_id()
    {
        var (first, firstErrors) = OrderInput.Validate(Body("A-1"));
        var (second, secondErrors) = OrderInput.Validate(Body("A-2"));

        Assert.Empty(firstErrors);
        Assert.Empty(secondErrors);
        Assert.Same(first!.Channel, second!.Channel);
        Assert.Same(first.Lines[0].Sku, second.Lines[0].Sku);
        Assert.Same(first.Lines[0].LineId, second.Lines[0].LineId);
        Assert.Equal(("ebay-uk", "SKU-RED-M", "1", 2L),
            (second.Channel, second.Lines[0].Sku, second.Lines[0].LineId, second.Lines[0].Quantity));
    }

    [Fact]
    public void Pooling_leaves_missing_fields_to_validation()
    {
        var (order, errors) = OrderInput.Validate(new PlaceOrderBody("A-3", null, false,
            [new OrderLineBody(null, null, 1)]));

        Assert.Null(order);
        Assert.Equal(["channel", "lines[0].lineId", "lines[0].sku"], errors.Keys.Order().ToArray());
    }
}
