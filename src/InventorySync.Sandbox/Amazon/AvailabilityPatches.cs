using System.Text.Json.Nodes;

namespace InventorySync.Sandbox.Amazon;

/// <summary>
/// A change to a listing's DEFAULT (merchant-fulfilled) availability. <see cref="Replace"/> sets every field anew;
/// a merge changes only the fields given (so handling time and restock date survive a quantity update).
/// </summary>
/// <param name="Fields">The fields other than the channel code and the quantity.</param>
internal sealed record AvailabilityChange(bool Replace, int? Quantity, JsonObject Fields);

/// <summary>
/// Reads JSON patches (from a PATCH or a feed message) into availability changes, or the issues that make the
/// submission INVALID. Patches on other attributes are accepted and change nothing the sandbox models.
/// </summary>
internal static class AvailabilityPatches
{
    public const string AttributeName = "fulfillment_availability";
    public const string Path = "/attributes/" + AttributeName;
    private const string ChannelCode = "fulfillment_channel_code";
    private const string QuantityField = "quantity";

    private static readonly string[] Ops = ["add", "replace", "merge", "delete"];

    public static IReadOnlyList<Issue> Read(IReadOnlyList<PatchOperation> patches, out IReadOnlyList<AvailabilityChange> changes)
    {
        var issues = new List<Issue>();
        var read = new List<AvailabilityChange>();
        foreach (var patch in patches)
        {
            if (patch.Op is null || !Ops.Contains(patch.Op) || patch.Path is null)
            {
                issues.Add(Invalid($"Each patch needs an op ({string.Join(", ", Ops)}) and a path."));
            }
            else if (!patch.Path.StartsWith("/attributes/", StringComparison.Ordinal))
            {
                issues.Add(Invalid($"Only attributes can be patched, not '{patch.Path}'."));
            }
            else if (patch.Path == Path)
            {
                var (change, issue) = patch.Op == "delete" ? (new AvailabilityChange(true, 0, new JsonObject()), null) : Read(patch.Op, patch.Value);
                if (issue is not null)
                {
                    issues.Add(issue);
                }

                if (change is not null)
                {
                    read.Add(change);
                }
            }
        }

        changes = read;
        return issues;
    }

    /// <summary>The whole availability given as an attribute value (feed UPDATE and PARTIAL_UPDATE messages).</summary>
    public static (AvailabilityChange? Change, Issue? Issue) ReadAttribute(JsonNode? value) =>
        Read("replace", value as JsonArray);

    private static (AvailabilityChange? Change, Issue? Issue) Read(string op, JsonArray? value)
    {
        if (value is not [JsonObject entry])
        {
            return (null, Invalid($"The value of {AttributeName} is an array with one entry, for fulfillment_channel_code DEFAULT."));
        }

        if (entry[ChannelCode] is not JsonValue channel || !channel.TryGetValue<string>(out var code) || code != "DEFAULT")
        {
            return (null, Invalid("The sandbox models merchant-fulfilled availability only: fulfillment_channel_code must be DEFAULT."));
        }

        int? quantity = null;
        if (entry[QuantityField] is { } quantityNode)
        {
            if (quantityNode is not JsonValue number || !number.TryGetValue<int>(out var parsed) || parsed < 0)
            {
                return (null, Invalid("quantity is a whole number, 0 or more."));
            }

            quantity = parsed;
        }

        var replace = op != "merge";
        if (replace && quantity is null)
        {
            return (null, new Issue(IssueCodes.Missing, $"'{QuantityField}' is required but not supplied.", "ERROR",
                ["MISSING_ATTRIBUTE"], [AttributeName]));
        }

        var fields = new JsonObject();
        foreach (var (name, field) in entry.Where(field => field.Key is not ChannelCode and not QuantityField))
        {
            fields[name] = field?.DeepClone();
        }

        return (new AvailabilityChange(replace, quantity, fields), null);
    }

    private static Issue Invalid(string message) =>
        new(IssueCodes.Invalid, message, "ERROR", ["INVALID_ATTRIBUTE"], [AttributeName]);
}
