using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Amazon;

/// <summary>
/// The Selling Partner API's answers to refused calls: 403 for the access token, 429 QuotaExceeded without
/// Retry-After (the caller backs off on its own), 5xx InternalFailure; an x-amzn-RequestId on every answer.
/// </summary>
internal sealed class AmazonDialect : IApiDialect
{
    public const string AccessTokenHeader = "x-amz-access-token";

    public static AmazonDialect Instance { get; } = new();

    public static string? AccessToken(HttpRequest request) => request.Headers[AccessTokenHeader].FirstOrDefault();

    public static IResult Errors(int statusCode, string code, string message, string? details = null) =>
        SandboxJson.Result(new AmazonErrorList([new AmazonError(code, message, details)]), statusCode);

    public static IResult InvalidInput(string message) => Errors(StatusCodes.Status400BadRequest, "InvalidInput", message);

    public static ValueTask<object?> StampRequestId(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        return next(context);
    }

    public IResult Unauthorized(ApiOperation operation) =>
        Errors(StatusCodes.Status403Forbidden, "Unauthorized", "Access to requested resource is denied.",
            "The access token you provided is revoked, malformed or invalid.");

    public IResult Throttled(ApiOperation operation, TimeSpan retryAfter) =>
        Errors(StatusCodes.Status429TooManyRequests, "QuotaExceeded", "You exceeded your quota for the requested resource.");

    public IResult ServerError(ApiOperation operation, int statusCode) =>
        statusCode == StatusCodes.Status503ServiceUnavailable
            ? Errors(statusCode, "ServiceUnavailable", "Service temporarily unavailable. Please try again.")
            : Errors(statusCode, "InternalFailure", "We encountered an internal error. Please try again.");
}
