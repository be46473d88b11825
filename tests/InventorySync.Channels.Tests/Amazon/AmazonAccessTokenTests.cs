using System.Net;
using InventorySync.Channels.Amazon;
using InventorySync.Channels.Tests.Support;
using InventorySync.Domain.Channels;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;
using static InventorySync.Channels.Tests.Amazon.AmazonTestData;

namespace InventorySync.Channels.Tests.Amazon;

/// <summary>
/// Login with Amazon: the sandbox has no token endpoint, so a stub on a real Kestrel plays
/// <c>POST https://api.amazon.com/auth/o2/token</c> (refresh-token grant, client id and secret in the form body) while
/// the sandbox checks the access token the adapter sends.
/// </summary>
public sealed class AmazonAccessTokenTests : IAsyncLifetime
{
    private const string RefreshToken = "Atzr|refresh-secret-0b4e";
    private const string ClientSecret = "amzn1.oa2-cs.v1.client-secret-93d1";

    private readonly RecordingHandler _recorder = new();
    private readonly HttpClient _http;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private ScriptedReceiver _lwa = null!;
    private AmazonSandboxHost? _sandbox;

    public AmazonAccessTokenTests() => _http = new HttpClient(_recorder) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task InitializeAsync() =>
        _lwa = await TokenEndpoint.StartAsync("Atza|lwa-", expiresIn: 3600, tokenType: "bearer", refreshToken: RefreshToken);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _lwa.DisposeAsync();
        if (_sandbox is not null) await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task The_refresh_token_is_exchanged_with_the_client_in_the_form_body_and_the_access_token_goes_in_x_amz_access_token()
    {
        var client = await StartAsync(acceptedToken: "Atza|lwa-1");

        var outcome = Assert.Single(await client.SendAsync([Update("MUG-RED", 3)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        var exchange = Assert.Single(_lwa.Requests);
        Assert.Equal(("POST", "/auth/o2/token"), (exchange.Method, exchange.Path));
        Assert.False(exchange.Headers.ContainsKey("Authorization"));
        var form = QueryHelpers.ParseQuery(exchange.Body);
        Assert.Equal(
            [
                ("client_id", "amzn1.application-oa2-client.abc"), ("client_secret", ClientSecret),
                ("grant_type", "refresh_token"), ("refresh_token", RefreshToken),
            ],
            form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value.ToString())));
        Assert.Equal("Atza|lwa-1", _recorder.Calls.Single(c => c.IsPatch).Headers["x-amz-access-token"]);
    }

    [Fact]
    public async Task The_access_token_is_reused_and_refreshed_a_minute_before_it_expires()
    {
        var client = await StartAsync();

        await client.SendAsync([Update("A", 1)], default);
        _clock.Advance(TimeSpan.FromMinutes(58) + TimeSpan.FromSeconds(59));
        await client.SendAsync([Update("A", 2)], default);
        var beforeRefresh = _lwa.Requests.Count;
        _clock.Advance(TimeSpan.FromSeconds(1));
        await client.SendAsync([Update("A", 3)], default);

        Assert.Equal(1, beforeRefresh);
        Assert.Equal(2, _lwa.Requests.Count);
        Assert.Equal(["Atza|lwa-1", "Atza|lwa-1", "Atza|lwa-2"], _recorder.Calls.Where(c => c.IsPatch).Select(c => c.Headers["x-amz-access-token"]));
    }

    [Fact]
    public async Task A_token_Amazon_refuses_fails_the_update_transiently_and_the_next_call_fetches_a_new_one()
    {
        var client = await StartAsync(acceptedToken: "Atza|lwa-2");

        var refused = Assert.Single(await client.SendAsync([Update("MUG-RED", 3)], default));
        var retried = Assert.Single(await client.SendAsync([Update("MUG-RED", 3)], default));

        Assert.Equal(UpdateResult.TransientFailure, refused.Result);
        Assert.StartsWith("HTTP 403: Unauthorized", refused.Message);
        Assert.Equal(UpdateResult.Applied, retried.Result);
        Assert.Equal(2, _lwa.Requests.Count);
    }

    [Fact]
    public async Task A_static_token_Amazon_refuses_fails_the_update_transiently_and_stops_the_batch()
    {
        _sandbox = await AmazonSandboxHost.StartAsync(options => options.Amazon.AccessToken = "another-token");
        var client = new AmazonListingsClient(_sandbox.Channel(batchSize: 2), _http, _clock);

        var outcomes = await client.SendAsync([Update("A", 1), Update("B", 1)], default);

        Assert.All(outcomes, o => Assert.Equal(UpdateResult.TransientFailure, o.Result));
        Assert.StartsWith("Not sent", outcomes[1].Message);
        Assert.Single(_recorder.Calls);
        Assert.All(outcomes, o => Assert.DoesNotContain(AccessToken, o.Message));
    }

    [Fact]
    public async Task A_token_endpoint_that_refuses_fails_the_call_without_any_secret_in_the_exception()
    {
        _lwa.Answer(new Reply(400, $$"""{"error":"invalid_grant","error_description":"{{RefreshToken}} {{ClientSecret}}"}"""));
        var client = await StartAsync();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync([Update("A", 1)], default));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.DoesNotContain("secret", error.ToString());
        Assert.DoesNotContain(_recorder.Calls, c => c.IsPatch);
    }

    /// <summary>A sandbox that accepts only <paramref name="acceptedToken"/> (any token when null) and an LWA channel.</summary>
    private async Task<AmazonListingsClient> StartAsync(string? acceptedToken = null)
    {
        _sandbox = await AmazonSandboxHost.StartAsync(options => options.Amazon.AccessToken = acceptedToken);
        var credentials = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["SellerId"] = AmazonSandboxHost.SellerId,
            ["MarketplaceId"] = AmazonSandboxHost.MarketplaceId,
            ["ClientId"] = "amzn1.application-oa2-client.abc",
            ["ClientSecret"] = ClientSecret,
            ["RefreshToken"] = RefreshToken,
            ["TokenUrl"] = new Uri(_lwa.Url, "auth/o2/token").AbsoluteUri,
        };
        ChannelDefinition channel = _sandbox.Channel(credentials);
        return new AmazonListingsClient(channel, _http, _clock);
    }
}
