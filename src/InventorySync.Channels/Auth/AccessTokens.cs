using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Auth;

/// <summary>Where an adapter gets the access token for its next call. Never logged, never put in a message.</summary>
public interface IAccessTokenSource
{
    ValueTask<string> GetAsync(CancellationToken cancellationToken);

    /// <summary>The marketplace refused the token (401/403): the next <see cref="GetAsync"/> fetches a new one.</summary>
    void Invalidate();
}

/// <summary>How the OAuth client proves itself to the token endpoint.</summary>
public enum ClientAuthentication
{
    /// <summary>HTTP Basic with client id and secret (eBay).</summary>
    BasicHeader,
    /// <summary><c>client_id</c> and <c>client_secret</c> in the form body (Amazon Login with Amazon).</summary>
    FormBody,
}

public static class AccessTokens
{
    public const string AccessToken = "AccessToken";
    public const string ClientId = "ClientId";
    public const string ClientSecret = "ClientSecret";
    public const string RefreshToken = "RefreshToken";
    public const string TokenUrl = "TokenUrl";
    public const string Scope = "Scope";

    /// <summary>
    /// A static token from <c>Credentials:AccessToken</c>, or the OAuth refresh flow from <c>Credentials:ClientId</c>,
    /// <c>ClientSecret</c>, <c>RefreshToken</c> and <c>TokenUrl</c> (optionally <c>Scope</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither is configured completely; the message names the keys, never values.</exception>
    public static IAccessTokenSource For(
        ChannelDefinition channel, HttpClient http, TimeProvider clock, ClientAuthentication clientAuthentication)
    {
        if (Configured(channel) is { } token) return new StaticToken(token);
        var c = channel.Credentials;
        string[] refresh = [ClientId, ClientSecret, RefreshToken, TokenUrl];
        var missing = refresh.Where(k => !c.TryGetValue(k, out var v) || string.IsNullOrWhiteSpace(v)).ToList();
        if (missing.Count == 0 && Uri.TryCreate(c[TokenUrl], UriKind.Absolute, out var tokenUrl))
        {
            return new OAuthRefreshToken(tokenUrl, c[ClientId], c[ClientSecret], c[RefreshToken], c.GetValueOrDefault(Scope),
                clientAuthentication, http, clock);
        }
        throw new InvalidOperationException(
            $"Channel '{channel.Id}' has no usable credentials: set Channels:{channel.Id}:Credentials:{AccessToken}, or " +
            $"{string.Join(", ", refresh.Select(k => $"Channels:{channel.Id}:Credentials:{k}"))} (missing or invalid: " +
            $"{string.Join(", ", missing.Count > 0 ? missing : [TokenUrl])}).");
    }

    /// <summary>The static token of <c>Credentials:AccessToken</c>, or null when none is set.</summary>
    /// <exception cref="InvalidOperationException">It holds what a header cannot carry; the message never quotes it.</exception>
    public static string? Configured(ChannelDefinition channel)
    {
        if (!channel.Credentials.TryGetValue(AccessToken, out var token) || string.IsNullOrWhiteSpace(token)) return null;
        // Checked here rather than left to the HTTP stack, whose error could quote the header's value.
        return HttpText.IsHeaderSafe(token)
            ? token
            : throw new InvalidOperationException(
                $"Channel '{channel.Id}': Channels:{channel.Id}:Credentials:{AccessToken} may hold only visible ASCII characters.");
    }

    private sealed class StaticToken(string token) : IAccessTokenSource
    {
        public ValueTask<string> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);

        public void Invalidate() { }
    }
}

/// <summary>
/// The OAuth 2 refresh-token grant (eBay OAuth, Amazon Login with Amazon): one access token at a time, fetched again a
/// minute before it expires (or after the marketplace refused it); concurrent callers share one fetch.
/// </summary>
public sealed class OAuthRefreshToken(
    Uri tokenUrl, string clientId, string clientSecret, string refreshToken, string? scope,
    ClientAuthentication clientAuthentication, HttpClient http, TimeProvider clock) : IAccessTokenSource
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _fetching = new(1, 1);
    private (string Token, DateTimeOffset RefreshAt)? _current;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && clock.GetUtcNow() < current.RefreshAt) return current.Token;
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } fetched && clock.GetUtcNow() < fetched.RefreshAt) return fetched.Token;
            var token = await FetchAsync(cancellationToken);
            var lifetime = TimeSpan.FromSeconds(Math.Max(0, token.ExpiresIn));
            _current = (token.AccessToken!, clock.GetUtcNow() + (lifetime > 2 * RefreshMargin ? lifetime - RefreshMargin : lifetime / 2));
            return token.AccessToken!;
        }
        finally
        {
            _fetching.Release();
        }
    }

    public void Invalidate() => _current = null;

    private async Task<TokenAnswer> FetchAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        };
        if (!string.IsNullOrWhiteSpace(scope)) form.Add(new("scope", scope));
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl);
        if (clientAuthentication == ClientAuthentication.BasicHeader)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        }
        else
        {
            form.Add(new("client_id", clientId));
            form.Add(new("client_secret", clientSecret));
        }
        request.Content = new FormUrlEncodedContent(form);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The body may echo what was sent: only the status is reported.
            throw new HttpRequestException(
                $"The token endpoint {tokenUrl.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}.",
                null, response.StatusCode);
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var answer = await JsonSerializer.DeserializeAsync<TokenAnswer>(body, cancellationToken: cancellationToken);
        return answer is { AccessToken.Length: > 0 }
            ? answer
            : throw new HttpRequestException($"The token endpoint {tokenUrl.GetLeftPart(UriPartial.Path)} answered no access_token.");
    }

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] long ExpiresIn);
}
