using InventorySync.Cluster.Orders;
using InventorySync.Domain.Stock;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace InventorySync.Host.Http;

/// <summary>The bridge's error answers, all <c>application/problem+json</c> with a readable detail.</summary>
internal static class Problems
{
    private const int MaxErrorsInDetail = 5;

    /// <summary>Gives the problems the framework writes on its own (unknown route, wrong method or media type) a detail.</summary>
    public static void ExplainStatus(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"There is no resource at {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}.",
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
            StatusCodes.Status500InternalServerError => "The node failed to answer; the failure is logged.",
            _ => null,
        };
    }

    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, Summarize(errors));

    public static IResult Validation(string field, string error) =>
        Validation(new Dictionary<string, string[]> { [field] = [error] });

    public static IResult TooLarge(long limit) => TypedResults.Problem(
        $"The request body is larger than the {limit:N0}-byte limit of this call.",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult Status(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    /// <summary>A 503 telling the client when to try again.</summary>
    public static IResult Unavailable(HttpContext http, string detail)
    {
        SetRetryAfter(http);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public static void SetRetryAfter(HttpContext http) =>
        http.Response.Headers.RetryAfter = http.RequestServices.GetRequiredService<BridgeSettings>()
            .RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A problem as a value, for answers that carry several (the batch call).</summary>
    public static ProblemDetails Details(int status, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = detail };
        if (errors is not null) problem.Extensions["errors"] = errors;
        return problem;
    }

    public static string Summarize(IDictionary<string, string[]> errors)
    {
        var messages = errors.SelectMany(e => e.Value).ToList();
        var shown = string.Join(" ", messages.Take(MaxErrorsInDetail));
        return messages.Count > MaxErrorsInDetail ? $"{shown} (and {messages.Count - MaxErrorsInDetail} more)" : shown;
    }

    public static int StatusOf(SkuResultCode code) => code switch
    {
        SkuResultCode.Ok => StatusCodes.Status200OK,
        SkuResultCode.Invalid => StatusCodes.Status400BadRequest,
        SkuResultCode.NotFound => StatusCodes.Status404NotFound,
        SkuResultCode.Conflict => StatusCodes.Status409Conflict,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    public static int StatusOf(OrderResultCode code) => code switch
    {
        OrderResultCode.Ok => StatusCodes.Status200OK,
        OrderResultCode.Invalid => StatusCodes.Status400BadRequest,
        OrderResultCode.NotFound => StatusCodes.Status404NotFound,
        OrderResultCode.Conflict => StatusCodes.Status409Conflict,
        OrderResultCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}
