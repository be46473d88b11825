using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CommunityToolkit.HighPerformance.Buffers;

namespace InventorySync.Cluster.Serialization;

/// <summary>
/// One instance per distinct channel, SKU and line id among the values read lately. Every open order is held twice,
/// in its ledger partition and in its SKUs' reservations, and these strings repeat across orders: read afresh for each
/// order they were three of the nine objects an open order keeps, objects every full garbage collection marks.
/// Used wherever such values enter the node: order bodies over HTTP (<see cref="Share"/>), and events, snapshots and
/// messages from other nodes (<see cref="ShareRepeatedProperties"/> on the serializer's JSON). Bounded: a value not
/// seen lately is simply kept as read.
/// </summary>
public static class RepeatedStrings
{
    private static readonly StringPool Pool = new(65_536);

    /// <summary>The properties whose values repeat across orders (order ids do not, and are left alone).</summary>
    private static readonly FrozenSet<string> RepeatedProperties = new[] { "Channel", "Sku", "LineId" }.ToFrozenSet();

    private static readonly JsonConverter<string> Converter = new PooledStringConverter();

    /// <summary>The shared instance equal to <paramref name="value"/>.</summary>
    public static string? Share(string? value) => value is null ? null : Pool.GetOrAdd(value);

    /// <summary>A JSON contract modifier: every type's repeated properties are read into shared instances.</summary>
    public static void ShareRepeatedProperties(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in type.Properties)
        {
            if (property.PropertyType == typeof(string)
                && property.AttributeProvider is MemberInfo member && RepeatedProperties.Contains(member.Name))
            {
                property.CustomConverter = Converter;
            }
        }
    }

    private sealed class PooledStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader is { TokenType: JsonTokenType.String, ValueIsEscaped: false, HasValueSequence: false }
                ? Pool.GetOrAdd(reader.ValueSpan, Encoding.UTF8)
                // Escaped, split across buffers, or not a string at all (GetString then fails as it would unpooled).
                : Share(reader.GetString());

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }
}
