using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace InventorySync.Channels.Tests.Ebay;

/// <summary>
/// Checks requests against eBay's official Sell Inventory API contract (Specs/ebay/sell_inventory_v1_oas3.json,
/// copied unchanged): the path (below the contract's base path <c>/sell/inventory/v1</c>) and method of an operation,
/// its required header parameters, the bearer token its security asks for, and the body: none for an operation
/// without a request body, else JSON evaluated with JsonSchema.Net against the contract's schema with every object
/// closed (the contract lists each type's fields; a field it does not list is one eBay ignores or refuses) and int32
/// fields kept in range. The rules the contract states in words for a bulk update are checked too: at most 25
/// entries, a sku (50 characters at most) with a ship-to-home quantity, an offerId and a quantity or price per offer.
/// </summary>
internal static class EbayInventoryContract
{
    public const string BasePath = "/sell/inventory/v1";
    public const int MaxBulkEntries = 25;

    private static readonly Lazy<JsonNode> Spec = new(() => JsonNode.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Specs", "ebay", "sell_inventory_v1_oas3.json")))!);

    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    private static readonly Lazy<JsonObject> ClosedSchemas = new(() => CloseAll(Spec.Value["components"]!["schemas"]!.AsObject()));

    /// <summary>What is wrong with a request, empty when nothing is; <paramref name="apiRoot"/> is the channel's base URL.</summary>
    public static IReadOnlyList<string> Problems(EbayRequest request, Uri apiRoot)
    {
        var path = request.Uri.AbsolutePath[apiRoot.AbsolutePath.TrimEnd('/').Length..];
        if (!path.StartsWith(BasePath + "/", StringComparison.Ordinal)) return [$"{path} is not below {BasePath}."];
        path = path[BasePath.Length..];
        var match = Spec.Value["paths"]!.AsObject().FirstOrDefault(p => Regex.IsMatch(path, TemplatePattern(p.Key)));
        if (match.Key is null) return [$"{request.Method} {path} matches no path of the contract."];
        if (match.Value![request.Method.Method.ToLowerInvariant()] is not JsonObject operation)
            return [$"{request.Method} is not an operation of {match.Key}."];

        var problems = new List<string>();
        foreach (var header in operation["parameters"]?.AsArray().Where(p => (string?)p!["in"] == "header"
                     && p["required"]?.GetValue<bool>() == true) ?? [])
        {
            if (!request.Headers.ContainsKey((string)header!["name"]!)) problems.Add($"header {header["name"]} is required.");
        }
        if (!request.Headers.TryGetValue("Authorization", out var authorization)
            || !Regex.IsMatch(authorization, @"^Bearer \S+$"))
            problems.Add("an OAuth bearer token is required.");

        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is not { } schema)
        {
            if (request.Body.Length > 0) problems.Add($"{operation["operationId"]} takes no body.");
            return problems;
        }
        if (request.Headers.GetValueOrDefault("Content-Type")?.StartsWith("application/json", StringComparison.Ordinal) != true)
            problems.Add("the body must be sent as application/json.");
        var body = JsonNode.Parse(request.Body);
        problems.AddRange(BodyProblems(schema, body));
        if ((string?)operation["operationId"] == "bulkUpdatePriceQuantity") problems.AddRange(BulkUpdateRules(body));
        return problems;
    }

    /// <summary>What is wrong with a body against a schema of the contract (a <c>$ref</c> to one of its components).</summary>
    public static IReadOnlyList<string> BodyProblems(JsonNode schema, JsonNode? body)
    {
        var result = Schemas.GetOrAdd(schema.ToJsonString(), _ =>
            {
                var root = (JsonObject)Close(schema);
                root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
                root["$defs"] = ClosedSchemas.Value.DeepClone();
                return JsonSchema.FromText(root.ToJsonString());
            })
            .Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : result.Details.Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
                .DefaultIfEmpty("not valid against the contract.")
                .ToList();
    }

    private static IEnumerable<string> BulkUpdateRules(JsonNode? body)
    {
        var requests = body?["requests"]?.AsArray() ?? [];
        if (requests.Count == 0) yield return "requests must hold at least one entry.";
        var entries = requests.Sum(r => Math.Max(1, r?["offers"]?.AsArray().Count ?? 0));
        if (entries > MaxBulkEntries) yield return $"{entries} entries in one call: at most {MaxBulkEntries}.";
        foreach (var request in requests)
        {
            var sku = (string?)request?["sku"];
            if (request?["shipToLocationAvailability"] is not null && string.IsNullOrEmpty(sku))
                yield return "a sku is required with shipToLocationAvailability.";
            if (sku?.Length > 50) yield return $"sku '{sku}' is longer than 50 characters.";
            foreach (var offer in request?["offers"]?.AsArray() ?? [])
            {
                if (string.IsNullOrEmpty((string?)offer?["offerId"])) yield return "each offer needs its offerId.";
                if (offer?["availableQuantity"] is null && offer?["price"] is null)
                    yield return "each offer needs availableQuantity or price.";
            }
        }
    }

    /// <summary>
    /// A copy of an OpenAPI schema as JSON Schema 2020-12: references into <c>$defs</c>, objects closed to fields
    /// they do not list, int32 values bounded.
    /// </summary>
    private static JsonNode Close(JsonNode schema)
    {
        var copy = schema.DeepClone();
        CloseSchema(copy);
        return copy;
    }

    /// <summary>The contract's named schemas (its components), each as <see cref="Close"/> makes it.</summary>
    private static JsonObject CloseAll(JsonObject schemas) => new(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)Close(s.Value!))));

    private static void CloseSchema(JsonNode? node)
    {
        if (node is not JsonObject schema) return;
        if (Text(schema, "$ref") is { } target)
            schema["$ref"] = target.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        if (Text(schema, "format") == "int32")
        {
            schema["minimum"] = int.MinValue;
            schema["maximum"] = int.MaxValue;
        }
        if (schema["properties"] is JsonObject properties)
        {
            if (!schema.ContainsKey("additionalProperties")) schema["additionalProperties"] = false;
            foreach (var (_, property) in properties) CloseSchema(property);
        }
        CloseSchema(schema["items"]);
        CloseSchema(schema["additionalProperties"]);
        foreach (var combined in new[] { "allOf", "anyOf", "oneOf" }.Select(k => schema[k]).OfType<JsonArray>())
        {
            foreach (var part in combined) CloseSchema(part);
        }
    }

    private static string? Text(JsonObject schema, string key) =>
        schema[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary><c>/offer/{offerId}/publish/</c> → <c>^/offer/[^/]+/publish/$</c>: a path parameter is one non-empty segment.</summary>
    private static string TemplatePattern(string template) =>
        "^" + Regex.Replace(Regex.Escape(template), @"\\\{\w+}", "[^/]+") + "$";
}
