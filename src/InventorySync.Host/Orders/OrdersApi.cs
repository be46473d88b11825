using InventorySync.Cluster;
using InventorySync.Cluster.Orders;
using InventorySync.Domain.Validation;
using InventorySync.Host.Http;

namespace InventorySync.Host.Orders;

public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        var orders = routes.MapGroup("/orders").WithTags("Orders");

        orders.MapPost("/", Place)
            .WithSummary("Places an order: each line is reserved, rejected, or (allowBackorder) back-ordered. Idempotent by orderId.")
            .Accepts<PlaceOrderBody>("application/json")
            .Produces<OrderResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status413PayloadTooLarge);

        orders.MapPost("/batch", PlaceBatch)
            .WithSummary($"Places up to {InputRules.MaxOrdersPerBatch} orders, each answered on its own with its status and the order or a problem.")
            .Accepts<OrderBatchBody>("application/json")
            .Produces<OrderBatchResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);

        orders.MapGet("/{orderId}", Get)
            .WithSummary("The order with each line's original status and current state.")
            .Produces<OrderResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        orders.MapPost("/{orderId}/cancel", Cancel)
            .WithSummary("Cancels the given lines (every line without a body) and releases their reservations. Idempotent.")
            .Accepts<LineSelectionBody>("application/json")
            .Produces<OrderResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status413PayloadTooLarge);

        orders.MapPost("/{orderId}/dispatch", Dispatch)
            .WithSummary("Dispatches the given lines (every line without a body): on-hand and reserved both drop. 409 for a back-ordered line.")
            .Accepts<LineSelectionBody>("application/json")
            .Produces<OrderResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status413PayloadTooLarge);

        return orders;
    }

    private static async Task<IResult> Place(HttpContext http, BridgeSettings bridge, IInventoryClient inventory, CancellationToken ct)
    {
        var body = await JsonBody.Read<PlaceOrderBody>(http, bridge.MaxBodyBytes);
        if (body.Problem is not null) return body.Problem;

        var (order, errors) = OrderInput.Validate(body.Value);
        if (order is null) return Problems.Validation(errors);
        return Answer(http, await inventory.PlaceOrder(order, ct));
    }

    private static async Task<IResult> PlaceBatch(
        HttpContext http, BridgeSettings bridge, IInventoryClient inventory, CancellationToken ct)
    {
        var body = await JsonBody.Read<OrderBatchBody>(http, bridge.MaxBatchBodyBytes);
        if (body.Problem is not null) return body.Problem;

        var submitted = body.Value!.Orders;
        if (submitted is null) return Problems.Validation("orders", "orders is required: a list of orders.");
        if (submitted.Count > InputRules.MaxOrdersPerBatch)
        {
            return Problems.Validation("orders",
                $"a batch may hold at most {InputRules.MaxOrdersPerBatch} orders (got {submitted.Count}).");
        }

        var answers = await Task.WhenAll(submitted.Select(order => PlaceOne(order, inventory, ct)));
        if (answers.Any(a => a.Status == StatusCodes.Status503ServiceUnavailable)) Problems.SetRetryAfter(http);
        return TypedResults.Ok(new OrderBatchResponse(answers));
    }

    private static async Task<OrderBatchItem> PlaceOne(PlaceOrderBody? body, IInventoryClient inventory, CancellationToken ct)
    {
        var (order, errors) = OrderInput.Validate(body);
        if (order is null)
        {
            return new OrderBatchItem(StatusCodes.Status400BadRequest, null,
                Problems.Details(StatusCodes.Status400BadRequest, Problems.Summarize(errors), errors));
        }
        try
        {
            var reply = await inventory.PlaceOrder(order, ct);
            var status = Problems.StatusOf(reply.Code);
            return reply.Code == OrderResultCode.Ok
                ? new OrderBatchItem(status, OrderResponse.From(reply.Order!), null)
                : new OrderBatchItem(status, null, Problems.Details(status, Detail(reply)));
        }
        catch (EntityUnavailableException e)
        {
            return new OrderBatchItem(StatusCodes.Status503ServiceUnavailable, null,
                Problems.Details(StatusCodes.Status503ServiceUnavailable, $"The order ledger did not answer in time ({e.Message}); resubmit the order."));
        }
    }

    private static async Task<IResult> Get(string orderId, HttpContext http, IInventoryClient inventory, CancellationToken ct)
    {
        if (InputRules.Identifier("orderId", orderId) is { } invalid) return Problems.Validation("orderId", invalid);
        return Answer(http, await inventory.GetOrder(orderId, ct));
    }

    private static Task<IResult> Cancel(
        string orderId, HttpContext http, BridgeSettings bridge, IInventoryClient inventory, CancellationToken ct) =>
        ChangeLines(orderId, http, bridge, lines => inventory.CancelOrder(orderId, lines, ct));

    private static Task<IResult> Dispatch(
        string orderId, HttpContext http, BridgeSettings bridge, IInventoryClient inventory, CancellationToken ct) =>
        ChangeLines(orderId, http, bridge, lines => inventory.DispatchOrder(orderId, lines, ct));

    /// <summary>Cancel and dispatch: an optional line selection, validated, then the ledger's answer.</summary>
    private static async Task<IResult> ChangeLines(
        string orderId, HttpContext http, BridgeSettings bridge, Func<IReadOnlyList<string>?, Task<OrderReply>> change)
    {
        var body = await JsonBody.Read<LineSelectionBody>(http, bridge.MaxBodyBytes, allowEmpty: true);
        if (body.Problem is not null) return body.Problem;

        var (lines, errors) = OrderInput.Validate(orderId, body.Value);
        if (errors.Count > 0) return Problems.Validation(errors);
        return Answer(http, await change(lines));
    }

    private static IResult Answer(HttpContext http, OrderReply reply) => reply.Code switch
    {
        OrderResultCode.Ok => TypedResults.Ok(OrderResponse.From(reply.Order!)),
        OrderResultCode.Unavailable => Problems.Unavailable(http, Detail(reply)),
        _ => Problems.Status(Problems.StatusOf(reply.Code), Detail(reply)),
    };

    private static string Detail(OrderReply reply) => reply.Detail ?? reply.Code switch
    {
        OrderResultCode.NotFound => "No such order.",
        OrderResultCode.Unavailable => "A SKU of the order did not answer in time; the order is recorded and will be finished: resubmit it for its answer.",
        _ => $"The order ledger answered {reply.Code}.",
    };
}
