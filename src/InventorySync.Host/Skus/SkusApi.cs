using InventorySync.Cluster;
using InventorySync.Domain.Stock;
using InventorySync.Domain.Validation;
using InventorySync.Host.Http;
using InventorySync.Host.Security;

namespace InventorySync.Host.Skus;

public static class SkusApi
{
    public static RouteGroupBuilder MapSkusApi(this IEndpointRouteBuilder routes)
    {
        var skus = routes.MapGroup("/skus").WithTags("SKUs");

        skus.MapGet("/{sku}", GetSku)
            .WithSummary("A SKU's stock levels and listings.")
            .Produces<SkuResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        skus.MapPut("/{sku}/stock", CountStock)
            .WithSummary("A stock count: the physical truth, always accepted. Below reserved, the newest reservations go to back-order.")
            .Accepts<StockCountBody>("application/json")
            .Produces<SkuResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge);

        skus.MapPost("/{sku}/stock/adjustments", AdjustStock)
            .WithSummary("A receipt (positive delta, fills back-orders oldest first) or a write-off (negative delta).")
            .Accepts<StockAdjustmentBody>("application/json")
            .Produces<SkuResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge);

        skus.MapGet("/{sku}/history", History)
            .WithSummary("The SKU's changes, newest first, with the levels before and after each (limit 1..1000, default 50).")
            .Produces<HistoryResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        return skus;
    }

    /// <summary>
    /// Answers 400 rather than 404 for a path whose SKU segment is empty (<c>/api/v1/skus//stock</c>), which no route
    /// template can match. Runs after routing, only when no endpoint matched, so 404/405/415 stay as routing decides.
    /// </summary>
    public static IApplicationBuilder UseEmptySkuRejection(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path.Value ?? "";
        if (http.GetEndpoint() is null && (path == "/api/v1/skus/" || path.StartsWith("/api/v1/skus//", StringComparison.Ordinal)))
        {
            await Problems.Validation("sku", InputRules.Sku("")!).ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    private static async Task<IResult> GetSku(string sku, IInventoryClient inventory, CancellationToken ct)
    {
        if (InputRules.Sku(sku) is { } invalid) return Problems.Validation("sku", invalid);
        var view = await inventory.GetSku(sku, ct);
        return view.Exists ? TypedResults.Ok(SkuResponse.From(view)) : UnknownSku(sku);
    }

    private static async Task<IResult> CountStock(
        string sku, HttpContext http, BridgeSettings bridge, IInventoryClient inventory, CancellationToken ct)
    {
        var body = await JsonBody.Read<StockCountBody>(http, bridge.MaxBodyBytes);
        if (body.Problem is not null) return body.Problem;

        var errors = new ValidationErrors();
        errors.Add("sku", InputRules.Sku(sku));
        errors.Add("onHand", InputRules.OnHand(body.Value!.OnHand));
        errors.Add("reference", InputRules.Reference(body.Value.Reference));
        if (!errors.IsEmpty) return Problems.Validation(errors.ToDictionary());

        var command = new SkuCommands.CountStock(sku, body.Value.OnHand!.Value, body.Value.Reference!, http.User.Source());
        return await Answer(inventory, await inventory.Send(command, ct), ct);
    }

    private static async Task<IResult> AdjustStock(
        string sku, HttpContext http, BridgeSettings bridge, IInventoryClient inventory, CancellationToken ct)
    {
        var body = await JsonBody.Read<StockAdjustmentBody>(http, bridge.MaxBodyBytes);
        if (body.Problem is not null) return body.Problem;

        var errors = new ValidationErrors();
        errors.Add("sku", InputRules.Sku(sku));
        errors.Add("delta", InputRules.Delta(body.Value!.Delta));
        errors.Add("reference", InputRules.Reference(body.Value.Reference));
        if (!errors.IsEmpty) return Problems.Validation(errors.ToDictionary());

        var command = new SkuCommands.AdjustStock(sku, body.Value.Delta!.Value, body.Value.Reference!, http.User.Source());
        return await Answer(inventory, await inventory.Send(command, ct), ct);
    }

    private static async Task<IResult> History(string sku, string? limit, IInventoryClient inventory, CancellationToken ct)
    {
        var (count, limitError) = QueryLimit.Parse(limit);
        var errors = new ValidationErrors();
        errors.Add("sku", InputRules.Sku(sku));
        errors.Add("limit", limitError);
        if (!errors.IsEmpty) return Problems.Validation(errors.ToDictionary());

        var entries = await inventory.History(sku, count, ct);
        // A SKU that exists has at least one event, so only an empty history needs the extra look.
        if (entries.Count == 0 && !(await inventory.GetSku(sku, ct)).Exists) return UnknownSku(sku);
        return TypedResults.Ok(new HistoryResponse(entries.Select(HistoryEntryResponse.From).ToList()));
    }

    /// <summary>The SKU view (with its listings) after an accepted change, or the problem the SKU answered.</summary>
    private static async Task<IResult> Answer(IInventoryClient inventory, SkuReply reply, CancellationToken ct) =>
        reply.Code == SkuResultCode.Ok
            ? TypedResults.Ok(SkuResponse.From(await inventory.GetSku(reply.Sku, ct)))
            : Problems.Status(Problems.StatusOf(reply.Code), reply.Detail ?? $"The SKU answered {reply.Code}.");

    internal static IResult UnknownSku(string sku) =>
        Problems.Status(StatusCodes.Status404NotFound, $"SKU '{sku}' is not known: it has had no stock count, adjustment or order.");
}
