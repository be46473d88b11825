using System.Text.Json;
using System.Text.Json.Serialization;

namespace InventorySync.Host.Http;

/// <summary>The bridge's JSON: camelCase, enums as lowercase strings, and strict reading.</summary>
internal static class HttpJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        // A number sent as a string is a wrong JSON type, not something to guess at.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
    }
}
