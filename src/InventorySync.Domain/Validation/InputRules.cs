using InventorySync.Domain.Orders;
using static InventorySync.Domain.Stock.SkuCommands;

namespace InventorySync.Domain.Validation;

/// <summary>
/// The input rules of the HTTP contract, in one place: the HTTP layer reports them per field, and the domain refuses
/// any command that breaks them, so a bad value never reaches the journal whichever way it came in.
/// </summary>
public static class InputRules
{
    public const int MaxIdentifierLength = 100;
    public const int MaxReferenceLength = 200;
    public const long MaxLineQuantity = 1_000_000;
    public const long MaxOnHand = 1_000_000_000;
    public const int MaxLinesPerOrder = 500;
    public const int MaxOrdersPerBatch = 1_000;

    public static string? Identifier(string what, string? value, int maxLength = MaxIdentifierLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return $"{what} is required and must not be empty.";
        if (value.Length > maxLength) return $"{what} must be at most {maxLength} characters (got {value.Length}).";
        foreach (var c in value)
        {
            if (char.IsControl(c)) return $"{what} must not contain control characters.";
        }
        return null;
    }

    public static string? Sku(string? value) => Identifier("sku", value);

    public static string? Reference(string? value) => Identifier("reference", value, MaxReferenceLength);

    public static string? LineQuantity(long? value) => value switch
    {
        null => "quantity is required.",
        <= 0 => $"quantity must be at least 1 (got {value}).",
        > MaxLineQuantity => $"quantity must be at most {MaxLineQuantity} (got {value}).",
        _ => null,
    };

    public static string? OnHand(long? value) => value switch
    {
        null => "onHand is required.",
        < 0 => $"onHand must not be negative (got {value}).",
        > MaxOnHand => $"onHand must be at most {MaxOnHand} (got {value}).",
        _ => null,
    };

    public static string? Delta(long? value) => value switch
    {
        null => "delta is required.",
        0 => "delta must not be zero: a positive delta is a receipt, a negative one a write-off.",
        < -MaxOnHand or > MaxOnHand => $"delta must be between -{MaxOnHand} and {MaxOnHand} (got {value}).",
        _ => null,
    };

    /// <summary>Every rule an order breaks, keyed by the JSON path of the offending field.</summary>
    public static Dictionary<string, string[]> Order(OrderRequest? order, string prefix = "")
    {
        var errors = new ValidationErrors();
        if (order is null)
        {
            errors.Add(prefix.TrimEnd('.') is { Length: > 0 } p ? p : "body", "an order is required.");
            return errors.ToDictionary();
        }
        errors.Add(prefix + "orderId", Identifier("orderId", order.OrderId));
        errors.Add(prefix + "channel", Identifier("channel", order.Channel));
        if (order.Lines is null || order.Lines.Count == 0)
        {
            errors.Add(prefix + "lines", "lines must hold at least one line.");
            return errors.ToDictionary();
        }
        if (order.Lines.Count > MaxLinesPerOrder)
        {
            errors.Add(prefix + "lines", $"an order may hold at most {MaxLinesPerOrder} lines (got {order.Lines.Count}).");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var line = order.Lines[i];
            var at = $"{prefix}lines[{i}].";
            if (line is null)
            {
                errors.Add($"{prefix}lines[{i}]", "a line must not be null.");
                continue;
            }
            errors.Add(at + "lineId", Identifier("lineId", line.LineId));
            errors.Add(at + "sku", Sku(line.Sku));
            errors.Add(at + "quantity", LineQuantity(line.Quantity));
            if (line.LineId is not null && !seen.Add(line.LineId))
            {
                errors.Add(at + "lineId", $"lineId '{line.LineId}' appears more than once in the order.");
            }
        }
        return errors.ToDictionary();
    }
}

/// <summary>Field errors gathered before answering, in the shape of a validation problem.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string? error)
    {
        if (error is null) return;
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(error);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}

/// <summary>The same rules applied to commands that reach an entity by any path.</summary>
public static class CommandRules
{
    public static string? Check(ISkuCommand command) => InputRules.Sku(command.Sku) ?? command switch
    {
        CountStock c => InputRules.OnHand(c.OnHand) ?? InputRules.Reference(c.Reference),
        AdjustStock a => InputRules.Delta(a.Delta) ?? InputRules.Reference(a.Reference),
        Reserve r => InputRules.Identifier("orderId", r.OrderId) ?? InputRules.Identifier("lineId", r.LineId)
                     ?? InputRules.LineQuantity(r.Quantity),
        CancelReservation c => InputRules.Identifier("orderId", c.OrderId) ?? InputRules.Identifier("lineId", c.LineId),
        DispatchReservation d => InputRules.Identifier("orderId", d.OrderId) ?? InputRules.Identifier("lineId", d.LineId),
        _ => null,
    };
}
