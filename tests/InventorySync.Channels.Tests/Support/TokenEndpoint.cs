using System.Text.Json;

namespace InventorySync.Channels.Tests.Support;

/// <summary>
/// A stub OAuth 2 token endpoint on a real Kestrel (the sandboxes have none): it answers every request with a new
/// access token, <c>{prefix}1</c>, <c>{prefix}2</c>, …, valid <paramref name="expiresIn"/> seconds, and records the
/// requests. <see cref="ScriptedReceiver.Answer(Reply)"/> scripts another answer (a refusal).
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<ScriptedReceiver> StartAsync(
        string tokenPrefix, int expiresIn, string tokenType, string? refreshToken = null)
    {
        var receiver = await ScriptedReceiver.StartAsync();
        var issued = 0;
        receiver.Answer(_ =>
        {
            var answer = new Dictionary<string, object>
            {
                ["access_token"] = tokenPrefix + Interlocked.Increment(ref issued),
                ["token_type"] = tokenType,
                ["expires_in"] = expiresIn,
            };
            if (refreshToken is not null) answer["refresh_token"] = refreshToken;
            return new Reply(200, JsonSerializer.Serialize(answer));
        });
        return receiver;
    }
}
