namespace InventorySync.Sandbox.Common;

/// <summary>An answer with response headers of its own (Retry-After, the marketplace's rate-limit headers).</summary>
internal sealed class HeaderResult(IResult inner, string name, string value) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers[name] = value;
        return inner.ExecuteAsync(httpContext);
    }
}
