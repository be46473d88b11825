using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace InventorySync.Host.Security;

/// <summary>Who is calling, or why the call is refused.</summary>
public readonly record struct Caller(string? Source, string? Refusal)
{
    public bool IsKnown => Source is not null;
}

/// <summary>
/// The configured API keys, kept only as hashes and compared in constant time. With no keys configured the node
/// serves loopback clients only, recorded as the source <c>loopback</c>.
/// </summary>
public sealed class ApiKeyRing
{
    public const string Header = "X-Api-Key";
    public const string LoopbackSource = "loopback";

    private readonly (string Name, byte[] Hash)[] _keys;

    public ApiKeyRing(IEnumerable<ApiKeySetting> keys) =>
        _keys = keys.Select(k => (k.Name ?? throw new ArgumentException("An API key has no name."),
            Hash(k.Key ?? throw new ArgumentException($"API key '{k.Name}' has no key.")))).ToArray();

    public bool IsEmpty => _keys.Length == 0;

    public Caller Identify(IPAddress? remote, string? presentedKey)
    {
        if (IsEmpty)
        {
            return IsLoopback(remote)
                ? new Caller(LoopbackSource, null)
                : new Caller(null, "This node has no API keys configured and serves loopback clients only.");
        }
        if (string.IsNullOrEmpty(presentedKey)) return new Caller(null, $"Send a valid API key in the {Header} header.");

        var presented = Hash(presentedKey);
        string? match = null;
        foreach (var (name, hash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash)) match ??= name;
        }
        return match is null ? new Caller(null, $"The API key in the {Header} header is not valid.") : new Caller(match, null);
    }

    private static bool IsLoopback(IPAddress? remote) =>
        remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
