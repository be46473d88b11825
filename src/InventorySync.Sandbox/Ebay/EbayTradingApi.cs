using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Ebay;

/// <summary>
/// eBay's Trading API (XML) at <c>/sandbox/ebay/ws/api.dll</c>, the call named by <c>X-EBAY-API-CALL-NAME</c>:
/// ReviseInventoryStatus, EndItems and RelistFixedPriceItem. The token comes in <c>X-EBAY-API-IAF-TOKEN</c> or in
/// RequesterCredentials/eBayAuthToken; every call spends the <c>trading</c> rate limit.
/// </summary>
internal static class EbayTradingApi
{
    public const string CallNameHeader = "X-EBAY-API-CALL-NAME";
    private const string TokenHeader = "X-EBAY-API-IAF-TOKEN";

    private static readonly XNamespace Ns = TradingResponses.Ns;

    private static readonly Dictionary<string, ApiOperation> Operations = new ApiOperation[]
    {
        new(EbayItems.ReviseOperation, EbaySandbox.TradingRateLimit, IsBatch: true),
        new(EbayItems.EndOperation, EbaySandbox.TradingRateLimit, IsBatch: true),
        new(EbayItems.RelistOperation, EbaySandbox.TradingRateLimit),
    }.ToDictionary(operation => operation.Name);

    private static readonly HashSet<string> EndingReasons =
        ["Incorrect", "LostOrBroken", "NotAvailable", "OtherListingError", "ProductDeleted", "SellToHighBidder", "Sold"];

    public static void MapEbayTradingApi(this IEndpointRouteBuilder ebay, EbaySandbox sandbox)
    {
        var responses = new TradingResponses(sandbox.Runtime.Clock);
        var gate = new ApiGate(sandbox.Runtime, responses);
        ebay.MapPost("/ws/api.dll", async (HttpContext http) =>
        {
            var callName = http.Request.Headers[CallNameHeader].ToString();
            if (!Operations.TryGetValue(callName, out var operation))
            {
                return responses.Failure(IsPlainName(callName) ? callName : "Unsupported", TradingErrors.UnsupportedCall(callName));
            }

            XElement request;
            try
            {
                request = await ReadAsync(http.Request);
            }
            catch (XmlException exception)
            {
                return responses.Failure(callName, TradingErrors.XmlParse(exception.Message));
            }

            if (request.Name != Ns + $"{callName}Request")
            {
                return responses.Failure(callName, TradingErrors.XmlParse($"The root element must be {callName}Request in namespace {Ns}."));
            }

            var token = http.Request.Headers[TokenHeader].FirstOrDefault()
                ?? Text(request.Element(Ns + "RequesterCredentials"), "eBayAuthToken");
            var admission = await gate.AdmitAsync(http, operation, token);
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            var answer = callName switch
            {
                EbayItems.ReviseOperation => ReviseInventoryStatus(request, sandbox, responses, admission),
                EbayItems.EndOperation => EndItems(request, sandbox, responses, admission),
                _ => RelistFixedPriceItem(request, sandbox, responses),
            };
            return admission.Deliver(http, answer);
        });
    }

    private static IResult ReviseInventoryStatus(XElement request, EbaySandbox sandbox, TradingResponses responses, Admission admission)
    {
        var statuses = request.Elements(Ns + "InventoryStatus").ToList();
        if (statuses.Count == 0)
        {
            return responses.Failure(EbayItems.ReviseOperation, TradingErrors.InvalidInput("InventoryStatus", "At least one InventoryStatus is required."));
        }

        if (statuses.Count > sandbox.Options.ReviseInventoryStatusLimit)
        {
            return responses.Failure(EbayItems.ReviseOperation, TradingErrors.TooManyInventoryStatus(sandbox.Options.ReviseInventoryStatusLimit));
        }

        var errors = new List<TradingError>();
        var revisions = new List<InventoryRevision>();
        foreach (var (status, index) in statuses.Select((status, index) => (status, index)))
        {
            var itemId = Text(status, "ItemID");
            var quantityText = Text(status, "Quantity");
            if (admission.FailsEntry(index, statuses.Count))
            {
                errors.Add(TradingErrors.InternalError(itemId));
            }
            else if (itemId is null)
            {
                errors.Add(TradingErrors.InvalidInput("InventoryStatus.ItemID", "The sandbox addresses Trading listings by ItemID."));
            }
            else if (quantityText is null && Text(status, "StartPrice") is null)
            {
                errors.Add(TradingErrors.InvalidInput("InventoryStatus.Quantity", "Quantity or StartPrice is required."));
            }
            else if (quantityText is not null && ParseQuantity(quantityText) is null)
            {
                errors.Add(TradingErrors.InvalidInput("InventoryStatus.Quantity", "The quantity is a whole number, 0 or more."));
            }
            else
            {
                var (revision, problem) = sandbox.Items.Revise(itemId, Text(status, "SKU"), ParseQuantity(quantityText));
                if (revision is not null)
                {
                    revisions.Add(revision);
                }

                if (problem is not null)
                {
                    errors.Add(problem);
                }
            }
        }

        return responses.Answer(
            EbayItems.ReviseOperation,
            TradingResponses.Ack(errors, revisions.Count > 0),
            errors,
            revisions.Select(revision => new XElement(Ns + "InventoryStatus",
                revision.Sku is null ? null : new XElement(Ns + "SKU", revision.Sku),
                new XElement(Ns + "ItemID", revision.ItemId),
                new XElement(Ns + "Quantity", revision.Quantity))));
    }

    private static IResult EndItems(XElement request, EbaySandbox sandbox, TradingResponses responses, Admission admission)
    {
        var containers = request.Elements(Ns + "EndItemRequestContainer").ToList();
        var limit = sandbox.Options.EndItemsLimit;
        if (containers.Count == 0 || containers.Count > limit)
        {
            return responses.Failure(EbayItems.EndOperation, TradingErrors.InvalidInput("EndItemRequestContainer",
                $"An EndItems call ends 1 to {limit} listings; this one has {containers.Count}."));
        }

        var results = containers.Select((container, index) =>
        {
            var itemId = Text(container, "ItemID");
            var reason = Text(container, "EndingReason");
            var error = admission.FailsEntry(index, containers.Count) ? TradingErrors.InternalError(itemId)
                : itemId is null ? TradingErrors.InvalidInput("EndItemRequestContainer.ItemID", "Each container needs the ItemID to end.")
                : reason is null || !EndingReasons.Contains(reason)
                    ? TradingErrors.InvalidInput("EndItemRequestContainer.EndingReason", $"The reason is one of {string.Join(", ", EndingReasons)}.")
                : sandbox.Items.End(itemId);
            return (MessageId: Text(container, "MessageID"), Error: error);
        }).ToList();

        var endTime = TradingResponses.Time(responses.Now);
        return responses.Answer(
            EbayItems.EndOperation,
            TradingResponses.Ack(results.Select(result => result.Error).OfType<TradingError>(), results.Any(result => result.Error is null)),
            [],
            results.Select(result => new XElement(Ns + "EndItemResponseContainer",
                result.Error is null ? new XElement(Ns + "EndTime", endTime) : null,
                result.MessageId is null ? null : new XElement(Ns + "CorrelationID", result.MessageId),
                result.Error is null ? null : TradingResponses.Error(result.Error))));
    }

    private static IResult RelistFixedPriceItem(XElement request, EbaySandbox sandbox, TradingResponses responses)
    {
        var item = request.Element(Ns + "Item");
        var itemId = Text(item, "ItemID");
        var quantityText = Text(item, "Quantity");
        var uuid = Text(item, "UUID");
        if (itemId is null)
        {
            return responses.Failure(EbayItems.RelistOperation, TradingErrors.InvalidInput("Item.ItemID", "The ItemID of the ended listing is required."));
        }

        var quantity = ParseQuantity(quantityText);
        if (quantityText is not null && quantity is null)
        {
            return responses.Failure(EbayItems.RelistOperation, TradingErrors.InvalidInput("Item.Quantity", "The quantity is a whole number, 0 or more."));
        }

        if (uuid is not null && (uuid.Length != 32 || !uuid.All(Uri.IsHexDigit)))
        {
            return responses.Failure(EbayItems.RelistOperation, TradingErrors.InvalidInput("Item.UUID", "A UUID is 32 hexadecimal characters."));
        }

        var relisting = sandbox.Items.Relist(itemId, quantity, uuid);
        if (relisting.Problem is { } refusal)
        {
            return responses.Answer(
                EbayItems.RelistOperation,
                "Failure",
                [refusal],
                relisting.DuplicateOf is { } created
                    ? [new XElement(Ns + "DuplicateInvocationDetails",
                        new XElement(Ns + "DuplicateInvocationID", uuid),
                        new XElement(Ns + "Status", "Success"),
                        new XElement(Ns + "InvocationTrackingID", created))]
                    : []);
        }

        var startTime = responses.Now;
        return responses.Answer(
            EbayItems.RelistOperation,
            "Success",
            [],
            new XElement(Ns + "ItemID", relisting.NewItemId),
            new XElement(Ns + "StartTime", TradingResponses.Time(startTime)),
            new XElement(Ns + "EndTime", TradingResponses.Time(startTime.AddDays(30))));
    }

    private static async Task<XElement> ReadAsync(HttpRequest request)
    {
        using var reader = XmlReader.Create(request.Body, new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit });
        var document = await XDocument.LoadAsync(reader, LoadOptions.None, request.HttpContext.RequestAborted);
        return document.Root ?? throw new XmlException("Root element is missing.");
    }

    private static string? Text(XElement? parent, string name) =>
        parent?.Element(Ns + name)?.Value.Trim() is { Length: > 0 } text ? text : null;

    private static int? ParseQuantity(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) ? quantity : null;

    private static bool IsPlainName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
