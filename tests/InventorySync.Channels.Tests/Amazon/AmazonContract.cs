using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.AspNetCore.WebUtilities;

namespace InventorySync.Channels.Tests.Amazon;

/// <summary>
/// Checks requests against Amazon's official contracts (copied unchanged into Specs/amazon): a Listings Items call's
/// method, path (template, one segment per path parameter), query parameters (required ones present, no undeclared
/// one, enum values) and body; a JSON_LISTINGS_FEED document against listings-feed-schema-v2. Bodies are evaluated with
/// JsonSchema.Net, and, because neither contract closes its objects, also walked for fields the contract does not
/// declare (the marketplace would ignore or refuse them: either way the adapter must not send them).
/// </summary>
internal static class AmazonContract
{
    private static readonly Lazy<JsonNode> ListingsItems = new(() => Load("listingsItems_2021-08-01.json"));
    private static readonly Lazy<JsonNode> FeedSchemaDocument = new(() => Load("listings-feed-schema-v2.json"));
    private static readonly Lazy<JsonSchema> FeedSchema = new(() => JsonSchema.FromText(FeedSchemaDocument.Value.ToJsonString()));
    private static readonly Lazy<JsonSchema> PatchRequestSchema = new(() => DefinitionSchema("ListingsItemPatchRequest"));

    /// <summary>What is wrong with a Listings Items API request, empty when nothing is; paths are below <paramref name="apiRoot"/>.</summary>
    public static IReadOnlyList<string> ListingsItemsProblems(RecordedCall call, Uri apiRoot)
    {
        var path = "/" + call.Uri.AbsolutePath[apiRoot.AbsolutePath.TrimEnd('/').Length..].TrimStart('/');
        var spec = ListingsItems.Value;
        var match = spec["paths"]!.AsObject()
            .Select(p => (Template: p.Key, Item: p.Value!, Match: Regex.Match(path, TemplatePattern(p.Key))))
            .FirstOrDefault(p => p.Match.Success);
        if (match.Template is null) return [$"{call.Method} {path} matches no path of the contract."];
        if (match.Item[call.Method.Method.ToLowerInvariant()] is not JsonObject operation)
            return [$"{call.Method} is not an operation of {match.Template}."];

        var problems = new List<string>();
        var parameters = operation["parameters"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var query = QueryHelpers.ParseQuery(call.Uri.Query);
        foreach (var parameter in parameters)
        {
            var name = (string)parameter["name"]!;
            var required = parameter["required"]?.GetValue<bool>() == true;
            switch ((string)parameter["in"]!)
            {
                case "path":
                    if (Uri.UnescapeDataString(match.Match.Groups[name].Value).Length == 0)
                        problems.Add($"path parameter {name} is empty.");
                    break;
                case "query" when query.TryGetValue(name, out var values):
                    var allowed = (parameter["enum"] ?? parameter["items"]?["enum"])?.AsArray().Select(v => (string)v!).ToHashSet();
                    foreach (var value in values.SelectMany(v => v!.Split(',')))
                    {
                        if (value.Length == 0) problems.Add($"query parameter {name} has an empty value.");
                        else if (allowed is not null && !allowed.Contains(value))
                            problems.Add($"query parameter {name}={value} is not one of the contract's values.");
                    }
                    break;
                case "query" when required:
                    problems.Add($"query parameter {name} is required.");
                    break;
                case "body" when call.Body is null:
                    if (required) problems.Add("the body is required.");
                    break;
                case "body":
                    var body = JsonNode.Parse(call.Body);
                    problems.AddRange(Evaluate(PatchRequestSchema.Value, body));
                    problems.AddRange(UndeclaredFields(body, parameter["schema"]!, spec, "$"));
                    break;
            }
        }
        var declared = parameters.Where(p => (string)p["in"]! == "query").Select(p => (string)p["name"]!).ToHashSet();
        problems.AddRange(query.Keys.Where(k => !declared.Contains(k)).Select(k => $"query parameter {k} is not in the contract."));
        return problems;
    }

    /// <summary>What is wrong with a JSON_LISTINGS_FEED document, empty when nothing is.</summary>
    public static IReadOnlyList<string> FeedDocumentProblems(string document)
    {
        var instance = JsonNode.Parse(document);
        return [.. Evaluate(FeedSchema.Value, instance), .. UndeclaredFields(instance, FeedSchemaDocument.Value, FeedSchemaDocument.Value, "$")];
    }

    private static JsonNode Load(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Specs", "amazon", file)))!;

    /// <summary>A Swagger 2 definition as a JSON Schema (draft-07 reads Swagger's schema objects), its references resolved.</summary>
    private static JsonSchema DefinitionSchema(string name) => JsonSchema.FromText(new JsonObject
    {
        ["$schema"] = "http://json-schema.org/draft-07/schema#",
        ["definitions"] = ListingsItems.Value["definitions"]!.DeepClone(),
        ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/definitions/{name}" }),
    }.ToJsonString());

    private static IEnumerable<string> Evaluate(JsonSchema schema, JsonNode? instance)
    {
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : result.Details.Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
                .DefaultIfEmpty("not valid against the schema.");
    }

    /// <summary>Fields of objects whose schema lists its properties and does not allow others.</summary>
    private static IEnumerable<string> UndeclaredFields(JsonNode? instance, JsonNode schema, JsonNode document, string at)
    {
        while (schema["$ref"] is { } reference)
        {
            schema = ((string)reference!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(document, (node, segment) => node[segment]!);
        }
        switch (instance)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                var othersAllowed = schema["additionalProperties"] is { } additional && additional.GetValueKind() != JsonValueKind.False;
                foreach (var (name, value) in obj)
                {
                    if (properties[name] is { } property)
                    {
                        foreach (var problem in UndeclaredFields(value, property, document, $"{at}.{name}")) yield return problem;
                    }
                    else if (!othersAllowed)
                    {
                        yield return $"{at}.{name} is not in the contract.";
                    }
                }
                break;
            case JsonArray array when schema["items"] is { } items:
                for (var index = 0; index < array.Count; index++)
                {
                    foreach (var problem in UndeclaredFields(array[index], items, document, $"{at}[{index}]")) yield return problem;
                }
                break;
        }
    }

    /// <summary><c>/a/{b}/c</c> → <c>^/a/(?&lt;b&gt;[^/]+)/c$</c>: a path parameter is exactly one non-empty segment.</summary>
    private static string TemplatePattern(string template) =>
        "^" + Regex.Replace(Regex.Escape(template), @"\\\{(\w+)}", "(?<$1>[^/]+)") + "$";
}
