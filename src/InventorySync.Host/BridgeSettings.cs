using Microsoft.Extensions.Configuration;

namespace InventorySync.Host;

/// <summary>The HTTP bridge's own settings. Bound from <c>Bridge:*</c>.</summary>
public sealed class BridgeSettings
{
    public const string Section = "Bridge";

    /// <summary>
    /// Keys accepted in the <c>X-Api-Key</c> header. Each entry is either a plain key (its source name is then
    /// <c>api-key-{index}</c>) or <c>{ "Name": "wms", "Key": "…" }</c>. None: loopback clients only.
    /// </summary>
    public List<ApiKeySetting> ApiKeys { get; set; } = [];

    /// <summary>Largest request body of any call but the batch (1 MiB).</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body of <c>POST /api/v1/orders/batch</c> (8 MiB).</summary>
    public long MaxBatchBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The <c>Retry-After</c> sent with a 503.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    public static BridgeSettings Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var settings = section.Get<BridgeSettings>() ?? new BridgeSettings();
        // The binder skips plain strings in a list of objects, so the keys are read entry by entry.
        settings.ApiKeys = section.GetSection(nameof(ApiKeys)).GetChildren()
            .Select(entry => entry.Value is { } plainKey
                ? new ApiKeySetting { Name = $"api-key-{entry.Key}", Key = plainKey }
                : entry.Get<ApiKeySetting>() ?? new ApiKeySetting())
            .ToList();
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ApiKeys[i].Key))
                throw new InvalidOperationException($"{Section}:ApiKeys:{i} has no Key.");
            if (string.IsNullOrWhiteSpace(ApiKeys[i].Name)) ApiKeys[i].Name = $"api-key-{i}";
        }
        if (MaxBodyBytes <= 0 || MaxBatchBodyBytes <= 0)
            throw new InvalidOperationException($"{Section}:MaxBodyBytes and {Section}:MaxBatchBodyBytes must be positive.");
        if (RetryAfterSeconds <= 0)
            throw new InvalidOperationException($"{Section}:RetryAfterSeconds must be positive.");
    }
}

public sealed class ApiKeySetting
{
    /// <summary>Recorded as the source of the changes made with this key; the key itself is never recorded or logged.</summary>
    public string? Name { get; set; }
    public string? Key { get; set; }
}
