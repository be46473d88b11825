namespace InventorySync.Channels.Tests.Amazon;

/// <summary>A request as the adapter sent it: headers include the content's; <see cref="Body"/> is null without content.</summary>
internal sealed record RecordedCall(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public bool IsPatch => Method == HttpMethod.Patch;
}

/// <summary>
/// Records every request on its way out of the adapter's HttpClient, over a handler set up like the production one
/// (no redirects, no cookies, no retries).
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
{
    private readonly Lock _sync = new();
    private readonly List<RecordedCall> _calls = [];

    /// <summary>Called with each request once it is recorded, before it is sent.</summary>
    public Action<RecordedCall>? Sending { get; set; }

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_sync) return _calls.ToList();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var call = new RecordedCall(request.Method, request.RequestUri!, headers, body);
        lock (_sync) _calls.Add(call);
        Sending?.Invoke(call);
        return await base.SendAsync(request, cancellationToken);
    }
}
