using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace InventorySync.Channels.Ebay;

/// <summary>The Trading API request documents the adapter sends, in eBay's namespace.</summary>
internal static class TradingRequests
{
    public const string ReviseInventoryStatus = "ReviseInventoryStatus";
    public const string EndItems = "EndItems";
    public const string RelistFixedPriceItem = "RelistFixedPriceItem";

    /// <summary>Why the adapter ends a listing: the item is no longer available (out of stock).</summary>
    public const string EndingReason = "NotAvailable";

    public static readonly XNamespace Ns = "urn:ebay:apis:eBLBaseComponents";

    public static XDocument Revise(IEnumerable<(string ItemId, long Quantity)> items) =>
        Request(ReviseInventoryStatus, items.Select(item => new XElement(Ns + "InventoryStatus",
            new XElement(Ns + "ItemID", item.ItemId),
            new XElement(Ns + "Quantity", Number(item.Quantity)))));

    /// <summary>Each container's MessageID is its ItemID, so the answer's CorrelationID names the item.</summary>
    public static XDocument End(IEnumerable<string> itemIds) =>
        Request(EndItems, itemIds.Select(itemId => new XElement(Ns + "EndItemRequestContainer",
            new XElement(Ns + "EndingReason", EndingReason),
            new XElement(Ns + "ItemID", itemId),
            new XElement(Ns + "MessageID", itemId))));

    public static XDocument Relist(string endedItemId, long quantity, string uuid) =>
        Request(RelistFixedPriceItem, [new XElement(Ns + "Item",
            new XElement(Ns + "ItemID", endedItemId),
            new XElement(Ns + "Quantity", Number(quantity)),
            new XElement(Ns + "UUID", uuid))]);

    /// <summary>
    /// The <c>Item.UUID</c> of the relist of <paramref name="endedItemId"/> for the mapping <paramref name="listingId"/>:
    /// 32 hexadecimal digits of a SHA-256 of both. Every attempt to relist the same ended item carries the same UUID,
    /// whatever quantity it asks for, so eBay lists it at most once and answers a repeat with error 488 and the item
    /// it created; relisting that new item later makes a new UUID.
    /// </summary>
    public static string Uuid(string listingId, string endedItemId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"relist\n{listingId}\n{endedItemId}")), 0, 16);

    private static XDocument Request(string callName, IEnumerable<XElement> content) =>
        new(new XDeclaration("1.0", "utf-8", null), new XElement(Ns + $"{callName}Request", content));

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
