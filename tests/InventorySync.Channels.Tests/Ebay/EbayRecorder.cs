namespace InventorySync.Channels.Tests.Ebay;

/// <summary>A request as an eBay adapter sent it; headers include the content's.</summary>
internal sealed record EbayRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The Trading API call, from <c>X-EBAY-API-CALL-NAME</c>; null for REST calls.</summary>
    public string? CallName => Headers.GetValueOrDefault("X-EBAY-API-CALL-NAME");
}

/// <summary>
/// Records every request on its way out of the adapter's HttpClient, over a handler set up like the production one
/// (no redirects, no cookies, no retries).
/// </summary>
internal sealed class EbayRecorder() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
{
    private readonly Lock _sync = new();
    private readonly List<EbayRequest> _requests = [];

    public IReadOnlyList<EbayRequest> Requests
    {
        get
        {
            lock (_sync) return _requests.ToList();
        }
    }

    public IReadOnlyList<EbayRequest> Calls(string callName) => Requests.Where(r => r.CallName == callName).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        lock (_sync) _requests.Add(new EbayRequest(request.Method, request.RequestUri!, headers, body));
        return await base.SendAsync(request, cancellationToken);
    }
}
