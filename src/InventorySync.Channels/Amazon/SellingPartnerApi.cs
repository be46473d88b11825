using System.Net.Http.Headers;
using System.Text.Json;
using InventorySync.Channels.Auth;

namespace InventorySync.Channels.Amazon;

/// <summary>
/// Calls to the Selling Partner API of one channel: paths relative to the channel's base URL, the LWA access token in
/// <c>x-amz-access-token</c> (invalidated when Amazon answers 401 or 403, so the next call fetches a new one), JSON in
/// and out. Answers are classified by the callers; network failures and cancellation propagate.
/// </summary>
internal sealed class SellingPartnerApi(string channelId, Uri apiRoot, HttpClient http, IAccessTokenSource tokens)
{
    public const string AccessTokenHeader = "x-amz-access-token";
    private const string UserAgent = "InventorySync (Language=C#)";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string relativeUri, object? body, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        // Checked here rather than left to the HTTP stack, whose error could quote the header's value.
        if (!HttpText.IsHeaderSafe(token))
            throw new InvalidOperationException(
                $"Channel '{channelId}': the access token holds characters an HTTP header cannot carry.");

        using var request = new HttpRequestMessage(method, new Uri(apiRoot, relativeUri));
        request.Headers.TryAddWithoutValidation(AccessTokenHeader, token);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Json))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            };
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if ((int)response.StatusCode is 401 or 403) tokens.Invalidate();
        return new ApiResponse(response, token);
    }
}

/// <summary>One answer of the Selling Partner API, with the token its request carried (to keep it out of messages).</summary>
internal sealed class ApiResponse(HttpResponseMessage response, string accessToken) : IDisposable
{
    /// <summary>How much of a failure body is read for its message: enough for any ErrorList.</summary>
    private const int MaxBodyChars = 4096;

    public int Status => (int)response.StatusCode;

    public bool IsSuccess => response.IsSuccessStatusCode;

    /// <summary>The body as <typeparamref name="T"/>, or null when it is not that JSON.</summary>
    public async Task<T?> ReadJsonAsync<T>(CancellationToken cancellationToken) where T : class
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync<T>(body, SellingPartnerApi.Json, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>HTTP {status}</c> and Amazon's words: the ErrorList's codes and messages, or the start of the body when it is
    /// not one; made fit for an outcome message by <see cref="Excerpt"/>.
    /// </summary>
    public async Task<string> DescribeFailureAsync(CancellationToken cancellationToken)
    {
        var text = await HttpText.ReadStartAsync(response.Content, MaxBodyChars, cancellationToken);
        string? words;
        try
        {
            words = JsonSerializer.Deserialize<ErrorList>(text, SellingPartnerApi.Json)?.Errors is { Count: > 0 } errors
                ? string.Join("; ", errors.Select(e => string.Join(": ", new[] { e.Code, e.Message, e.Details }
                    .Where(part => !string.IsNullOrWhiteSpace(part)))))
                : text;
        }
        catch (JsonException)
        {
            words = text;
        }
        return Excerpt(string.IsNullOrWhiteSpace(words) ? $"HTTP {Status}" : $"HTTP {Status}: {words}");
    }

    /// <summary>Amazon's words made fit for an outcome message, without the access token this call carried.</summary>
    public string Excerpt(string text) => AmazonText.Excerpt(text, accessToken);

    public void Dispose() => response.Dispose();
}

internal static class AmazonText
{
    /// <summary>Amazon's words made fit for an outcome message, without the access token (see <see cref="HttpText.Excerpt"/>).</summary>
    public static string Excerpt(string text, string? accessToken) => HttpText.Excerpt(text, [accessToken]);

    /// <summary>Issues as one message: each one's words and code, in Amazon's order.</summary>
    public static string Issues(IEnumerable<(string? Message, string? Code)> issues) =>
        string.Join(" ", issues.Select(i => string.IsNullOrWhiteSpace(i.Code) ? i.Message : $"{i.Message} [{i.Code}]"));
}
