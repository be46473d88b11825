using Akka.Actor;
using InventorySync.Cluster;
using Microsoft.AspNetCore.Diagnostics;

namespace InventorySync.Host.Http;

/// <summary>An entity that does not answer in time (failover, overload, journal outage) is a 503, never a 500.</summary>
internal sealed class EntityUnavailableHandler(IProblemDetailsService problems, ILogger<EntityUnavailableHandler> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not (EntityUnavailableException or AskTimeoutException)) return false;

        log.LogWarning("{Method} {Path} answered 503: {Reason}", http.Request.Method, http.Request.Path, exception.Message);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        Problems.SetRetryAfter(http);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service Unavailable",
                Detail = $"The inventory did not answer in time ({exception.Message}). Retry shortly with the same request: " +
                         "calls are idempotent by order id or reference, so it is applied once.",
            },
        });
    }
}
