using InventorySync.Cluster;
using InventorySync.Domain.Stock;
using InventorySync.Host.Http;

namespace InventorySync.Host.Incidents;

public sealed record IncidentsResponse(IReadOnlyList<IncidentResponse> Incidents);

/// <param name="BackorderedQuantity">Units promised to buyers that the seller does not have.</param>
public sealed record IncidentResponse(
    DateTimeOffset At, string Sku, string Cause, long BackorderedQuantity, IReadOnlyList<IncidentLineResponse> Lines,
    string? Channel, string? Reference)
{
    public static IncidentResponse From(OversellIncident i) => new(i.At, i.Sku, i.Cause, i.BackorderedQuantity,
        i.Lines.Select(l => new IncidentLineResponse(l.OrderId, l.LineId, Math.Abs(l.Quantity))).ToList(),
        i.Channel, i.Reference);
}

/// <param name="Quantity">Units of this line that went to back-order.</param>
public sealed record IncidentLineResponse(string OrderId, string LineId, long Quantity);

public static class IncidentsApi
{
    public static RouteGroupBuilder MapIncidentsApi(this IEndpointRouteBuilder routes)
    {
        var incidents = routes.MapGroup("/incidents").WithTags("Incidents");

        incidents.MapGet("/", List)
            .WithSummary("Oversell incidents across all SKUs, newest first (limit 1..1000, default 50).")
            .Produces<IncidentsResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest);

        return incidents;
    }

    private static async Task<IResult> List(string? limit, IInventoryClient inventory, CancellationToken ct)
    {
        var (count, error) = QueryLimit.Parse(limit);
        if (error is not null) return Problems.Validation("limit", error);
        var incidents = await inventory.Incidents(count, ct);
        return TypedResults.Ok(new IncidentsResponse(incidents.Select(IncidentResponse.From).ToList()));
    }
}
