using System.Globalization;
using InventorySync.Sandbox.Common;
using Microsoft.Extensions.Primitives;

namespace InventorySync.Sandbox.Amazon;

/// <summary>
/// The Listings Items API 2021-08-01 under <c>/sandbox/amazon/listings/2021-08-01/items/{sellerId}/{sku}</c>:
/// patchListingsItem on <c>/attributes/fulfillment_availability</c> (spends the <c>listings</c> rate limit) and
/// getListingsItem to read a listing back. Calls need <c>x-amz-access-token</c>.
/// </summary>
internal static class AmazonListingsApi
{
    private const string ValidationPreview = "VALIDATION_PREVIEW";

    private static readonly ApiOperation Patch = new(AmazonListings.PatchOperation, AmazonSandbox.ListingsRateLimit);
    private static readonly ApiOperation Get = new("getListingsItem");

    private static readonly string[] IncludedData =
        ["summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement", "relationships", "productTypes"];

    public static void MapAmazonListingsApi(this IEndpointRouteBuilder amazon, AmazonSandbox sandbox)
    {
        var gate = new ApiGate(sandbox.Runtime, AmazonDialect.Instance);
        var items = amazon.MapGroup("/listings/2021-08-01/items/{sellerId}").AddEndpointFilter(AmazonDialect.StampRequestId);

        items.MapPatch("/{sku}", async (HttpContext http, string sku, string? mode) =>
        {
            var admission = await gate.AdmitAsync(http, Patch, AmazonDialect.AccessToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            var marketplaceIds = Csv(http.Request.Query["marketplaceIds"]);
            if (marketplaceIds.Count == 0)
            {
                return AmazonDialect.InvalidInput("Missing required parameter marketplaceIds.");
            }

            if (mode is not null and not ValidationPreview)
            {
                return AmazonDialect.InvalidInput($"mode is {ValidationPreview} when given.");
            }

            var body = await SandboxJson.ReadAsync<ListingsItemPatchRequest>(http.Request);
            if (body is not { ProductType.Length: > 0, Patches.Count: > 0 })
            {
                return AmazonDialect.InvalidInput("The body must be a ListingsItemPatchRequest: a productType and at least one patch.");
            }

            var listingSku = RouteText.Decode(sku);
            var issues = AvailabilityPatches.Read(body.Patches, out var changes);
            var status = issues.Count > 0 ? "INVALID" : mode is null ? "ACCEPTED" : "VALID";
            if (status == "ACCEPTED")
            {
                sandbox.Listings.Apply(listingSku, body.ProductType, marketplaceIds, changes, AmazonListings.PatchOperation);
            }

            var limit = sandbox.Runtime.RateLimit(AmazonSandbox.ListingsRateLimit).PerSecond;
            return admission.Deliver(http, new HeaderResult(
                SandboxJson.Result(new ListingsItemSubmissionResponse(listingSku, status, Guid.NewGuid().ToString(), issues)),
                "x-amzn-RateLimit-Limit",
                limit.ToString("0.0###", CultureInfo.InvariantCulture)));
        });

        items.MapGet("/{sku}", async (HttpContext http, string sku) =>
        {
            var admission = await gate.AdmitAsync(http, Get, AmazonDialect.AccessToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            var marketplaceIds = Csv(http.Request.Query["marketplaceIds"]);
            if (marketplaceIds.Count == 0)
            {
                return AmazonDialect.InvalidInput("Missing required parameter marketplaceIds.");
            }

            var included = Csv(http.Request.Query["includedData"]);
            if (included.FirstOrDefault(value => !IncludedData.Contains(value)) is { } unknown)
            {
                return AmazonDialect.InvalidInput($"includedData '{unknown}' is not one of {string.Join(", ", IncludedData)}.");
            }

            var listingSku = RouteText.Decode(sku);
            var item = sandbox.Listings.Item(listingSku, marketplaceIds, included.Count == 0 ? ["summaries"] : included.ToHashSet());
            return admission.Deliver(http, item is null
                ? AmazonDialect.Errors(StatusCodes.Status404NotFound, "NOT_FOUND", $"SKU '{listingSku}' not found in marketplace {marketplaceIds[0]}.")
                : SandboxJson.Result(item));
        });
    }

    /// <summary>A comma-separated (or repeated) query parameter's values.</summary>
    private static IReadOnlyList<string> Csv(StringValues values) =>
        [.. values.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
