using System.Net;
using System.Xml.Linq;

namespace InventorySync.Sandbox.Tests.Support;

/// <summary>A Trading API answer, read the way a client reads it.</summary>
internal sealed class TradingAnswer
{
    public static readonly XNamespace Ns = "urn:ebay:apis:eBLBaseComponents";

    public TradingAnswer(HttpStatusCode status, string xml)
    {
        Status = status;
        Root = XElement.Parse(xml);
    }

    public HttpStatusCode Status { get; }

    public XElement Root { get; }

    public string Ack => Value(Root, "Ack");

    /// <summary>The error codes anywhere in the answer, top level and per container.</summary>
    public IReadOnlyList<string> ErrorCodes => [.. Root.Descendants(Ns + "ErrorCode").Select(code => code.Value)];

    public static string Value(XElement parent, string name) =>
        parent.Element(Ns + name)?.Value ?? throw new InvalidOperationException($"No {name} in {parent.Name.LocalName}.");
}
