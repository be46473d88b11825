using InventorySync.Channels.Auth;
using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Ebay;

/// <summary>
/// The access token of an eBay channel: a static <c>Credentials:AccessToken</c>, or eBay's OAuth refresh flow (the
/// client proves itself with HTTP Basic). It also takes every secret out of text bound for an outcome message: the
/// configured ones and the last tokens handed out, which a refresh may have replaced since.
/// </summary>
internal sealed class EbayCredentials
{
    private const int TokensRemembered = 4;

    private readonly IAccessTokenSource _tokens;
    private readonly string[] _configuredSecrets;
    private readonly Queue<string> _recentTokens = new();
    private readonly Lock _sync = new();

    /// <exception cref="InvalidOperationException">
    /// No usable credentials, or a static token no header can carry; the message names keys, never values.
    /// </exception>
    public EbayCredentials(ChannelDefinition channel, HttpClient http, TimeProvider clock)
    {
        _tokens = AccessTokens.For(channel, http, clock, ClientAuthentication.BasicHeader);
        _configuredSecrets = new[] { AccessTokens.AccessToken, AccessTokens.ClientSecret, AccessTokens.RefreshToken }
            .Select(key => channel.Credentials.GetValueOrDefault(key))
            .OfType<string>()
            .Where(value => !string.IsNullOrWhiteSpace(value))
            .ToArray();
    }

    /// <summary>The token for the next call.</summary>
    /// <exception cref="HttpRequestException">The token endpoint failed, or gave a token no header can carry.</exception>
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = await _tokens.GetAsync(cancellationToken);
        lock (_sync)
        {
            if (!_recentTokens.Contains(token))
            {
                _recentTokens.Enqueue(token);
                if (_recentTokens.Count > TokensRemembered) _recentTokens.Dequeue();
            }
        }
        return FitsAHeader(token)
            ? token
            : throw new HttpRequestException("The token endpoint gave an access token that an HTTP header cannot carry.");
    }

    /// <summary>eBay refused the token: the next call fetches a new one (a static token stays as it is).</summary>
    public void Invalidate() => _tokens.Invalidate();

    /// <summary>
    /// eBay's words made fit for an outcome message: every secret replaced (before anything is cut, so no part of one
    /// survives), whitespace collapsed, at most <see cref="HttpText.MaxMessageLength"/> characters.
    /// </summary>
    public string Excerpt(string text)
    {
        string[] secrets;
        lock (_sync) secrets = [.. _configuredSecrets, .. _recentTokens];
        return HttpText.Excerpt(text, secrets);
    }

    private static bool FitsAHeader(string token) => token.Length > 0 && HttpText.IsHeaderSafe(token);
}
