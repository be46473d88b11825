using System.Globalization;

namespace InventorySync.Host.Http;

/// <summary>The <c>limit</c> query parameter of the listing calls.</summary>
internal static class QueryLimit
{
    public const int Default = 50;
    public const int Max = 1000;

    /// <summary>The limit asked for, or <see cref="Default"/>; an error when it is not a whole number from 1 to <see cref="Max"/>.</summary>
    public static (int Limit, string? Error) Parse(string? raw) =>
        raw is null ? (Default, null)
        : int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= Max
            ? (limit, null)
            : (0, $"limit must be a whole number from 1 to {Max} (got '{raw}').");
}
