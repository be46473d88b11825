using System.Text.Json;
using System.Text.Json.Serialization;

namespace InventorySync.Sandbox.Common;

/// <summary>
/// The sandbox reads and writes its own JSON, so its answers keep the marketplaces' shapes whatever JSON options the
/// hosting app configures, and a malformed body gets the marketplace's error instead of ASP.NET Core's.
/// </summary>
internal static class SandboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static IResult Result<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, Options, statusCode: statusCode);

    /// <summary>The body as <typeparamref name="T"/>; null when it is empty, the JSON literal null, or malformed.</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
