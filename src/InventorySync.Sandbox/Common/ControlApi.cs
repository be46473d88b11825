namespace InventorySync.Sandbox.Common;

/// <summary>
/// The control API of a sandbox marketplace, under <c>/sandbox/{marketplace}/_control</c>: listings, buyers, the update
/// log, scripted faults and run-time settings. It is for tests and demos: no token, no rate limit, no faults.
/// </summary>
internal static class ControlApi
{
    public static RouteGroupBuilder MapControlApi(this IEndpointRouteBuilder marketplaceRoot, IMarketplaceSandbox marketplace)
    {
        var control = marketplaceRoot.MapGroup("/_control");

        control.MapGet("/listings", () => SandboxJson.Result(marketplace.AllListings()));
        control.MapGet("/listings/{id}", (string id) =>
            marketplace.Find(RouteText.Decode(id)) is { } listing
                ? SandboxJson.Result(listing)
                : Problem(ControlFailure.NotFound, $"No listing '{RouteText.Decode(id)}'."));
        control.MapPost("/listings", async (HttpRequest request) =>
            await SandboxJson.ReadAsync<ListingSeed>(request) is { Quantity: >= 0 } seed
                ? Answer(marketplace.Seed(seed))
                : Problem(ControlFailure.Invalid,
                    "The body must be a listing seed: {offerId|itemId|sku, quantity (0 or more), status?, outOfStockControl?}."));

        control.MapPost("/buy", async (HttpRequest request) =>
            await SandboxJson.ReadAsync<Purchase>(request) is { Quantity: >= 1 } purchase
                ? Answer(marketplace.Buy(purchase))
                : Problem(ControlFailure.Invalid, "The body must be a purchase: {offerId|itemId|sku, quantity (1 or more)}."));

        control.MapGet("/log", (string? listing, DateTimeOffset? since) =>
            SandboxJson.Result(marketplace.Runtime.Log.Query(listing, since)));

        control.MapGet("/faults", () => SandboxJson.Result(marketplace.Runtime.Faults.Pending()));
        control.MapPost("/faults", async (HttpRequest request) =>
        {
            var fault = await SandboxJson.ReadAsync<Fault>(request);
            if (fault is null)
            {
                return Problem(ControlFailure.Invalid, "The body must be a fault: {kind, count?, operation?, statusCode?, entries?}.");
            }

            if (fault.Problem() is { } problem)
            {
                return Problem(ControlFailure.Invalid, problem);
            }

            marketplace.Runtime.Faults.Add(fault);
            return SandboxJson.Result(marketplace.Runtime.Faults.Pending());
        });
        control.MapDelete("/faults", () =>
        {
            marketplace.Runtime.Faults.Clear();
            return Results.NoContent();
        });

        control.MapGet("/settings", () => SandboxJson.Result(marketplace.Runtime.Settings()));
        control.MapPatch("/settings", async (HttpRequest request) =>
        {
            var update = await SandboxJson.ReadAsync<SandboxSettingsUpdate>(request);
            if (update is null)
            {
                return Problem(ControlFailure.Invalid, "The body must be {latencyMs?, latencyJitterMs?, timeScale?, rateLimits?}.");
            }

            return marketplace.Runtime.Update(update) is { } problem
                ? Problem(ControlFailure.Invalid, problem)
                : SandboxJson.Result(marketplace.Runtime.Settings());
        });

        control.MapPost("/reset", () =>
        {
            marketplace.Reset();
            return Results.NoContent();
        });

        return control;
    }

    private static IResult Answer(ControlResult result) =>
        result.Listing is { } listing ? SandboxJson.Result(listing) : Problem(result.Failure, result.Detail);

    private static IResult Problem(ControlFailure failure, string detail) =>
        Results.Problem(detail, statusCode: failure switch
        {
            ControlFailure.NotFound => StatusCodes.Status404NotFound,
            ControlFailure.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        });
}
