using System.Xml;
using System.Xml.Linq;

namespace InventorySync.Channels.Ebay;

/// <summary>An error or warning of a Trading API answer; <see cref="Parameters"/> are its ErrorParameters' values.</summary>
internal sealed record TradingError(
    string Code, bool IsWarning, bool IsSystemError, string Text, IReadOnlyList<string> Parameters);

/// <summary>A Trading API answer (<c>{Call}Response</c>) as the adapter reads it.</summary>
internal sealed class TradingAnswer
{
    private static readonly XNamespace Ns = TradingRequests.Ns;

    private static readonly XmlReaderSettings Safe = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private TradingAnswer(XElement root)
    {
        Root = root;
        Errors = ErrorsOf(root);
    }

    public XElement Root { get; }

    /// <summary>The answer's own errors and warnings (a container's are read with <see cref="ErrorsOf"/>).</summary>
    public IReadOnlyList<TradingError> Errors { get; }

    /// <summary>The answer, or null when the text is not XML.</summary>
    public static TradingAnswer? Parse(string text)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), Safe);
            return XDocument.Load(reader).Root is { } root ? new TradingAnswer(root) : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    public static IReadOnlyList<TradingError> ErrorsOf(XElement parent) =>
        parent.Elements(Ns + "Errors").Select(error => new TradingError(
                Text(error, "ErrorCode") ?? "",
                Text(error, "SeverityCode") == "Warning",
                Text(error, "ErrorClassification") == "SystemError",
                Text(error, "LongMessage") ?? Text(error, "ShortMessage") ?? "",
                error.Elements(Ns + "ErrorParameters").Select(p => Text(p, "Value")).OfType<string>().ToList()))
            .ToList();

    /// <summary>The trimmed text of the child element, or null when it is absent or empty.</summary>
    public static string? Text(XElement? parent, string name) =>
        parent?.Element(Ns + name)?.Value.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>The errors that name <paramref name="itemId"/> among their parameters.</summary>
    public IReadOnlyList<TradingError> About(string itemId) => Errors.Where(e => e.Parameters.Contains(itemId)).ToList();

    /// <summary>The errors that name none of the call's items: they concern the call as a whole.</summary>
    public IReadOnlyList<TradingError> General(IEnumerable<string> itemIds)
    {
        var items = itemIds.ToHashSet(StringComparer.Ordinal);
        return Errors.Where(e => !e.Parameters.Any(items.Contains)).ToList();
    }

    /// <summary>
    /// For a relist refused as a duplicate (488, the UUID was used before): the ItemID the first call created, from
    /// DuplicateInvocationDetails or else from the error's second parameter (eBay's "item ID=…").
    /// </summary>
    public string? DuplicateOf() =>
        Errors.FirstOrDefault(e => e.Code == TradingVerdicts.DuplicateUuid) is { } duplicate
            ? Text(Root.Element(Ns + "DuplicateInvocationDetails"), "InvocationTrackingID")
              ?? duplicate.Parameters.ElementAtOrDefault(1)
            : null;
}
