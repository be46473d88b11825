using InventorySync.Cluster;
using InventorySync.Host.Http;

namespace InventorySync.Host.Health;

public sealed record LiveResponse(string Status);

public sealed record ReadyResponse(string Status, bool ClusterUp, bool JournalAnswers, string Detail);

/// <summary>Probes for load balancers and orchestrators; they need no API key.</summary>
public static class HealthApi
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/healthz").WithTags("Health");

        health.MapGet("/live", () => TypedResults.Ok(new LiveResponse("live")))
            .WithSummary("200 while the process runs.");

        health.MapGet("/ready", Ready)
            .WithSummary("200 when this node is a cluster member with a journal that answers; 503 with Retry-After otherwise.")
            .Produces<ReadyResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return health;
    }

    private static async Task<IResult> Ready(HttpContext http, INodeReadiness readiness, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadinessTimeout);
        try
        {
            var report = await readiness.Check(timeout.Token);
            return report.Ready
                ? TypedResults.Ok(new ReadyResponse("ready", report.ClusterUp, report.JournalAnswers, report.Detail))
                : Problems.Unavailable(http, $"Not ready: {report.Detail} (cluster up: {report.ClusterUp}, journal answers: {report.JournalAnswers}).");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Problems.Unavailable(http, $"Not ready: the readiness check did not answer within {ReadinessTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Problems.Unavailable(http, $"Not ready: the readiness check failed ({e.Message}).");
        }
    }
}
