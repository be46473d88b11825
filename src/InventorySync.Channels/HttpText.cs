using System.Net.Http.Headers;
using System.Text;

namespace InventorySync.Channels;

/// <summary>
/// What every adapter does alike with a marketplace's answers: bounded body reading, Retry-After, header-safe tokens,
/// and outcome messages that quote no secret.
/// </summary>
internal static class HttpText
{
    /// <summary>The most characters of an outcome message taken from a marketplace's words.</summary>
    public const int MaxMessageLength = 300;

    private const string Redacted = "[redacted]";

    /// <summary>Visible ASCII only: anything else could split or corrupt a header.</summary>
    public static bool IsHeaderSafe(string value) => value.All(c => c is >= '!' and <= '~');

    /// <summary>The start of the body: at most <paramref name="maxChars"/> characters of it.</summary>
    public static async Task<string> ReadStartAsync(HttpContent content, int maxChars, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await content.ReadAsStreamAsync(cancellationToken));
        var text = new StringBuilder();
        var buffer = new char[Math.Min(maxChars, 8192)];
        int read;
        while (text.Length < maxChars && (read = await reader.ReadAsync(
                   buffer.AsMemory(0, Math.Min(buffer.Length, maxChars - text.Length)), cancellationToken)) > 0)
            text.Append(buffer, 0, read);
        return text.ToString();
    }

    /// <summary>Retry-After as delta-seconds, or as an HTTP-date counted from now (never negative).</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider clock) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// A marketplace's words made fit for an outcome message: every secret replaced, longest first (before anything is
    /// cut, so no part of one survives), then <see cref="Cut"/>.
    /// </summary>
    public static string Excerpt(string text, IEnumerable<string?> secrets)
    {
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)).OrderByDescending(s => s!.Length))
            text = text.Replace(secret!, Redacted, StringComparison.Ordinal);
        return Cut(text);
    }

    /// <summary>Whitespace collapsed, at most <see cref="MaxMessageLength"/> characters (never half a surrogate pair).</summary>
    public static string Cut(string text)
    {
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= MaxMessageLength) return text;
        var cut = MaxMessageLength - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
