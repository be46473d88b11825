namespace InventorySync.Sandbox.Common;

/// <summary>How one API surface answers the calls the gate turns away, in the marketplace's own shapes.</summary>
internal interface IApiDialect
{
    IResult Unauthorized(ApiOperation operation);

    IResult Throttled(ApiOperation operation, TimeSpan retryAfter);

    IResult ServerError(ApiOperation operation, int statusCode);
}

/// <summary>The outcome of the gate: a refusal to return as it is, or a pass carrying the fault to play, if any.</summary>
internal sealed class Admission
{
    private Admission(IResult? refusal, Fault? fault)
    {
        Refusal = refusal;
        Fault = fault;
    }

    public IResult? Refusal { get; }

    /// <summary>The fault this call plays after it was admitted: a dropped response, or a partial failure.</summary>
    public Fault? Fault { get; }

    public static Admission Refused(IResult refusal) => new(refusal, null);

    public static Admission Admitted(Fault? fault) => new(null, fault);

    /// <summary>Whether entry <paramref name="index"/> of a batch of <paramref name="entryCount"/> fails by script.</summary>
    public bool FailsEntry(int index, int entryCount) => Fault?.FailsEntry(index, entryCount) ?? false;

    /// <summary>The answer to send once the call was applied: none, with the connection aborted, for a dropped response.</summary>
    public IResult Deliver(HttpContext http, IResult answer)
    {
        if (Fault?.Kind != FaultKind.DropResponse)
        {
            return answer;
        }

        http.Abort();
        return Results.Empty;
    }
}

/// <summary>
/// What every API call of a marketplace goes through before it is applied, in this order: latency, the access token,
/// the rate limit, then the next scripted fault.
/// </summary>
internal sealed class ApiGate(MarketplaceRuntime runtime, IApiDialect dialect)
{
    public async Task<Admission> AdmitAsync(HttpContext http, ApiOperation operation, string? accessToken)
    {
        await runtime.DelayAsync(http.RequestAborted);
        if (!runtime.Accepts(accessToken))
        {
            return Admission.Refused(dialect.Unauthorized(operation));
        }

        if (!runtime.TryTake(operation.RateLimit, out var retryAfter))
        {
            return Admission.Refused(dialect.Throttled(operation, retryAfter));
        }

        var fault = runtime.Faults.TryTake(operation);
        switch (fault?.Kind)
        {
            case FaultKind.Throttle:
                return Admission.Refused(dialect.Throttled(operation, TimeSpan.FromSeconds(1)));
            case FaultKind.ServerError:
                return Admission.Refused(dialect.ServerError(operation, fault.StatusCode));
            case FaultKind.Timeout:
                await runtime.HangAsync(http.RequestAborted);
                return Admission.Refused(Results.Empty);
            default:
                return Admission.Admitted(fault);
        }
    }
}
