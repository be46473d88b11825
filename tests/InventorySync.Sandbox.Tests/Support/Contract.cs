using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InventorySync.Sandbox.Tests.Support;

/// <summary>
/// An official API contract (OpenAPI 3 or Swagger 2) and a small schema walker over it: types, required fields, enum
/// values, date-times, minimums, and no field the contract does not declare (the sandbox must not invent any).
/// </summary>
internal sealed class Contract
{
    private static readonly Lazy<Contract> EbayInventory = new(() => Load("ebay/sell_inventory_v1_oas3.json"));
    private static readonly Lazy<Contract> AmazonListingsItems = new(() => Load("amazon/listingsItems_2021-08-01.json"));

    private readonly JsonNode document;

    private Contract(JsonNode document) => this.document = document;

    public static Contract Ebay => EbayInventory.Value;

    public static Contract Amazon => AmazonListingsItems.Value;

    public static string SpecPath(string relativePath) => Path.Combine(AppContext.BaseDirectory, "Specs", relativePath);

    /// <summary>The schema of an operation's answer with that status, as the contract states it.</summary>
    public JsonNode ResponseSchema(string path, string method, int status)
    {
        var response = document["paths"]?[path]?[method]?["responses"]?[status.ToString(CultureInfo.InvariantCulture)]
            ?? throw new InvalidOperationException($"The contract has no {status} answer for {method.ToUpperInvariant()} {path}.");
        return response["content"]?["application/json"]?["schema"] ?? response["schema"]
            ?? throw new InvalidOperationException($"The contract's {status} answer for {method.ToUpperInvariant()} {path} has no schema.");
    }

    public JsonNode Schema(string name) =>
        document["components"]?["schemas"]?[name] ?? document["definitions"]?[name]
        ?? throw new InvalidOperationException($"The contract has no schema {name}.");

    public void AssertValid(JsonNode? instance, JsonNode schema)
    {
        var problems = Problems(instance, schema);
        Assert.True(problems.Count == 0, $"Not valid against the contract:\n{string.Join("\n", problems)}\nin {instance?.ToJsonString()}");
    }

    public IReadOnlyList<string> Problems(JsonNode? instance, JsonNode schema)
    {
        var problems = new List<string>();
        Walk(instance, schema, "$", problems);
        return problems;
    }

    private static Contract Load(string relativePath) =>
        new(JsonNode.Parse(File.ReadAllText(SpecPath(relativePath))) ?? throw new InvalidOperationException($"{relativePath} is empty."));

    private JsonNode Resolve(JsonNode schema)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate<string, JsonNode?>(document, (node, segment) => node?[segment.Replace("~1", "/").Replace("~0", "~")])
                ?? throw new InvalidOperationException($"Unresolved {reference}.");
        }

        return schema;
    }

    private void Walk(JsonNode? instance, JsonNode schema, string at, List<string> problems)
    {
        schema = Resolve(schema);
        if (instance is null)
        {
            problems.Add($"{at} is null: the sandbox leaves absent values out.");
            return;
        }

        var type = schema["type"]?.GetValue<string>() ?? (schema["properties"] is not null ? "object" : null);
        var kind = instance.GetValueKind();
        var typeMatches = type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "integer" => kind == JsonValueKind.Number && instance.AsValue().TryGetValue<long>(out _),
            "number" => kind == JsonValueKind.Number,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!typeMatches)
        {
            problems.Add($"{at} is {kind}, the contract says {type}.");
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(value => JsonNode.DeepEquals(value, instance)))
        {
            problems.Add($"{at} = {instance.ToJsonString()} is not one of {allowed.ToJsonString()}.");
        }

        if (schema["format"]?.GetValue<string>() == "date-time" && !DateTimeOffset.TryParse(instance.GetValue<string>(), CultureInfo.InvariantCulture, out _))
        {
            problems.Add($"{at} = {instance.ToJsonString()} is not a date-time.");
        }

        if (schema["minimum"] is { } minimum && instance.GetValue<double>() < minimum.GetValue<double>())
        {
            problems.Add($"{at} = {instance.ToJsonString()} is below the minimum {minimum}.");
        }

        if (instance is JsonArray array && schema["items"] is { } items)
        {
            for (var index = 0; index < array.Count; index++)
            {
                Walk(array[index], items, $"{at}[{index}]", problems);
            }
        }

        if (instance is JsonObject obj)
        {
            WalkObject(obj, schema, at, problems);
        }
    }

    private void WalkObject(JsonObject instance, JsonNode schema, string at, List<string> problems)
    {
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            if (!instance.ContainsKey(required!.GetValue<string>()))
            {
                problems.Add($"{at}.{required} is required.");
            }
        }

        var properties = schema["properties"]?.AsObject();
        var anyOtherAllowed = schema["additionalProperties"] is { } additional && additional.GetValueKind() != JsonValueKind.False;
        foreach (var (name, value) in instance)
        {
            if (properties?[name] is { } property)
            {
                Walk(value, property, $"{at}.{name}", problems);
            }
            else if (!anyOtherAllowed)
            {
                problems.Add($"{at}.{name} is not in the contract.");
            }
        }
    }
}
