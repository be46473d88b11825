using InventorySync.Cluster.Serialization;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Validation;

namespace InventorySync.Host.Orders;

/// <summary>Turns request bodies into ledger input, reporting every broken rule of <see cref="InputRules"/> per field.</summary>
internal static class OrderInput
{
    public static (OrderRequest? Order, Dictionary<string, string[]> Errors) Validate(PlaceOrderBody? body)
    {
        if (body is null) return (null, InputRules.Order(null));

        // Channel, SKU and line id repeat across the orders a node holds: shared, not one copy per order.
        var request = new OrderRequest(
            body.OrderId!, RepeatedStrings.Share(body.Channel)!, body.AllowBackorder ?? false,
            body.Lines?.Select(l => l is null ? null! : new OrderLine(
                RepeatedStrings.Share(l.LineId)!, RepeatedStrings.Share(l.Sku)!, l.Quantity ?? 0)).ToList()!);
        var errors = InputRules.Order(request);
        // The domain's line has no missing quantity: one left out was checked as 0 and is reported as missing.
        for (var i = 0; i < (body.Lines?.Count ?? 0); i++)
        {
            if (body.Lines![i] is { Quantity: null }) errors[$"lines[{i}].quantity"] = [InputRules.LineQuantity(null)!];
        }
        return errors.Count == 0 ? (request, errors) : (null, errors);
    }

    /// <summary>The line ids to act on (null: every line), or the rules they break.</summary>
    public static (IReadOnlyList<string>? Lines, Dictionary<string, string[]> Errors) Validate(
        string orderId, LineSelectionBody? body)
    {
        var errors = new ValidationErrors();
        errors.Add("orderId", InputRules.Identifier("orderId", orderId));
        var lines = body?.Lines;
        if (lines is { Count: 0 })
        {
            errors.Add("lines", "lines must name at least one lineId; leave it out to act on every line.");
        }
        else if (lines is { Count: > InputRules.MaxLinesPerOrder })
        {
            errors.Add("lines", $"lines may name at most {InputRules.MaxLinesPerOrder} lines (got {lines.Count}).");
        }
        for (var i = 0; i < (lines?.Count ?? 0); i++)
        {
            errors.Add($"lines[{i}]", InputRules.Identifier("lineId", lines![i]));
        }
        return errors.IsEmpty ? (lines?.Select(l => l!).ToList(), errors.ToDictionary()) : (null, errors.ToDictionary());
    }
}
