using System.Globalization;
using System.Net.Http.Headers;
using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Ebay;

/// <summary>
/// eBay's Sell Inventory API v1 under <c>/sandbox/ebay/sell/inventory/v1</c>: bulk price and quantity updates, offer
/// withdraw (end) and publish (relist), and getOffer to read an offer back. Calls need <c>Authorization: Bearer</c>;
/// the writes spend the <c>inventory</c> rate limit.
/// </summary>
internal static class EbayInventoryApi
{
    private static readonly ApiOperation BulkUpdate =
        new(EbayOffers.BulkUpdateOperation, EbaySandbox.InventoryRateLimit, IsBatch: true);

    private static readonly ApiOperation Withdraw = new(EbayOffers.WithdrawOperation, EbaySandbox.InventoryRateLimit);
    private static readonly ApiOperation Publish = new(EbayOffers.PublishOperation, EbaySandbox.InventoryRateLimit);
    private static readonly ApiOperation GetOffer = new("getOffer");

    public static void MapEbayInventoryApi(this IEndpointRouteBuilder ebay, EbaySandbox sandbox)
    {
        var gate = new ApiGate(sandbox.Runtime, new EbayRestDialect());
        var inventory = ebay.MapGroup("/sell/inventory/v1");

        inventory.MapPost("/bulk_update_price_quantity", async (HttpContext http) =>
        {
            var admission = await gate.AdmitAsync(http, BulkUpdate, BearerToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            var body = await SandboxJson.ReadAsync<BulkPriceQuantity>(http.Request);
            if (body?.Requests is not { Count: > 0 } requests)
            {
                return BadRequest(EbayErrors.InvalidValue("requests", "The body must be a BulkPriceQuantity with at least one request."));
            }

            var entries = requests.Sum(request => Math.Max(1, request.Offers?.Count ?? 0));
            if (entries > sandbox.Options.BulkUpdateLimit)
            {
                return BadRequest(EbayErrors.InvalidValue("requests",
                    $"A call updates at most {sandbox.Options.BulkUpdateLimit} offers or inventory items; this one has {entries}."));
            }

            var responses = sandbox.Offers.BulkUpdate(requests, index => admission.FailsEntry(index, requests.Count));
            var status = responses.All(response => response.StatusCode == StatusCodes.Status200OK)
                ? StatusCodes.Status200OK
                : StatusCodes.Status207MultiStatus;
            return admission.Deliver(http, SandboxJson.Result(new BulkPriceQuantityResponse(responses), status));
        });

        inventory.MapPost("/offer/{offerId}/withdraw", async (HttpContext http, string offerId) =>
        {
            var admission = await gate.AdmitAsync(http, Withdraw, BearerToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            var (withdrawn, error) = sandbox.Offers.Withdraw(RouteText.Decode(offerId));
            return admission.Deliver(http, error is null ? SandboxJson.Result(withdrawn) : BadRequest(error));
        });

        // eBay documents the path with a trailing slash (/publish/); routing serves it with and without one.
        inventory.MapPost("/offer/{offerId}/publish", async (HttpContext http, string offerId) =>
        {
            var admission = await gate.AdmitAsync(http, Publish, BearerToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            var (published, error) = sandbox.Offers.Publish(RouteText.Decode(offerId));
            return admission.Deliver(http, error is null ? SandboxJson.Result(published) : BadRequest(error));
        });

        inventory.MapGet("/offer/{offerId}", async (HttpContext http, string offerId) =>
        {
            var admission = await gate.AdmitAsync(http, GetOffer, BearerToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            var id = RouteText.Decode(offerId);
            return admission.Deliver(http, sandbox.Offers.Details(id) is { } details
                ? SandboxJson.Result(details)
                : SandboxJson.Result(
                    new EbayErrorResponse([EbayErrors.OfferNotAvailable($"offer {id} does not exist")]),
                    StatusCodes.Status404NotFound));
        });
    }

    private static string? BearerToken(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
        && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;

    private static IResult BadRequest(EbayError error) =>
        SandboxJson.Result(new EbayErrorResponse([error]), StatusCodes.Status400BadRequest);

    /// <summary>eBay's REST error bodies: 401 for the token, 429 with Retry-After, 5xx with a system error.</summary>
    private sealed class EbayRestDialect : IApiDialect
    {
        public IResult Unauthorized(ApiOperation operation) =>
            SandboxJson.Result(new EbayErrorResponse([EbayErrors.InvalidAccessToken]), StatusCodes.Status401Unauthorized);

        public IResult Throttled(ApiOperation operation, TimeSpan retryAfter) =>
            new HeaderResult(
                SandboxJson.Result(new EbayErrorResponse([EbayErrors.TooManyRequests]), StatusCodes.Status429TooManyRequests),
                "Retry-After",
                Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

        public IResult ServerError(ApiOperation operation, int statusCode) =>
            SandboxJson.Result(new EbayErrorResponse([EbayErrors.SystemError]), statusCode);
    }
}
