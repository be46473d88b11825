namespace InventorySync.Host.Http;

internal static class EndpointMetadata
{
    /// <summary>
    /// Declares the problem answers of an endpoint, plus those every <c>/api</c> call can give
    /// (401 without a valid key, 503 when an entity does not answer in time).
    /// </summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses.Append(StatusCodes.Status401Unauthorized).Append(StatusCodes.Status503ServiceUnavailable))
        {
            if (status == StatusCodes.Status400BadRequest) endpoint.ProducesValidationProblem();
            else endpoint.ProducesProblem(status);
        }
        return endpoint;
    }
}
