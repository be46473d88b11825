using System.Text;
using System.Text.RegularExpressions;
using InventorySync.Channels.Ebay;
using InventorySync.Channels.Tests.Support;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using Microsoft.Extensions.Time.Testing;
using static InventorySync.Channels.Tests.Ebay.EbayUpdates;

namespace InventorySync.Channels.Tests.Ebay;

/// <summary>
/// eBay's OAuth refresh flow, against a token endpoint of our own (the sandbox has none) that hands out
/// <c>token-1</c>, <c>token-2</c>, … each valid two hours, while the sandbox serves the API.
/// </summary>
public sealed class EbayOAuthTests : IAsyncLifetime
{
    private const string ClientId = "InventorySync-PRD-1234";
    private const string ClientSecret = "PRD-client-secret-5678";
    private const string RefreshToken = "v^1.1#i^1#refresh-token";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private ScriptedReceiver _tokenEndpoint = null!;

    public async Task InitializeAsync() =>
        _tokenEndpoint = await TokenEndpoint.StartAsync("token-", expiresIn: 7200, tokenType: "User Access Token");

    public async Task DisposeAsync() => await _tokenEndpoint.DisposeAsync();

    [Fact]
    public async Task A_token_is_fetched_with_the_refresh_token_and_Basic_client_credentials_and_reused()
    {
        await using var sandbox = await EbaySandboxHost.StartAsync();
        var client = sandbox.Inventory(credentials: Credentials());

        await client.SendAsync([Update("O-1", 1)], default);
        await client.SendAsync([Update("O-1", 2)], default);

        var fetch = Assert.Single(_tokenEndpoint.Requests);
        Assert.Equal("POST", fetch.Method);
        Assert.Equal("/identity/v1/oauth2/token", fetch.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")),
            fetch.Headers["Authorization"]);
        Assert.Contains("grant_type=refresh_token", fetch.Body);
        Assert.Contains("refresh_token=" + Uri.EscapeDataString(RefreshToken), fetch.Body);
        Assert.Equal(["Bearer token-1", "Bearer token-1"], sandbox.ApiRequests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task The_token_is_refreshed_a_minute_before_it_expires()
    {
        await using var sandbox = await EbaySandboxHost.StartAsync();
        var client = sandbox.Inventory(credentials: Credentials(), clock: _clock);

        await client.SendAsync([Update("O-1", 1)], default);
        _clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1) - TimeSpan.FromSeconds(1));
        await client.SendAsync([Update("O-1", 2)], default);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await client.SendAsync([Update("O-1", 3)], default);

        Assert.Equal(2, _tokenEndpoint.Requests.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"],
            sandbox.ApiRequests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task A_401_from_the_Inventory_API_makes_the_next_call_fetch_a_new_token()
    {
        await using var sandbox = await EbaySandboxHost.StartAsync(o => o.Ebay.AccessToken = "token-2");
        var client = sandbox.Inventory(credentials: Credentials(), clock: _clock);

        var refused = Assert.Single(await client.SendAsync([Update("O-1", 1)], default));
        var accepted = Assert.Single(await client.SendAsync([Update("O-1", 1)], default));

        Assert.Equal(UpdateResult.TransientFailure, refused.Result);
        Assert.Equal(UpdateResult.Applied, accepted.Result);
        Assert.Equal(2, _tokenEndpoint.Requests.Count);
    }

    [Fact]
    public async Task A_refused_token_931_from_the_Trading_API_makes_the_next_call_fetch_a_new_token()
    {
        await using var sandbox = await EbaySandboxHost.StartAsync(o => o.Ebay.AccessToken = "token-2");
        var client = new EbayTradingClient(
            sandbox.Channel(MarketplaceKind.EbayTrading, 4, Credentials()), sandbox.Http, _clock);

        var refused = Assert.Single(await client.SendAsync([Update("200000000001", 1)], default));
        var accepted = Assert.Single(await client.SendAsync([Update("200000000001", 1)], default));

        Assert.Equal(UpdateResult.TransientFailure, refused.Result);
        Assert.Equal(UpdateResult.Applied, accepted.Result);
        Assert.Equal(["token-1", "token-2"], sandbox.ApiRequests.Select(r => r.Headers["X-EBAY-API-IAF-TOKEN"]));
    }

    [Fact]
    public async Task A_failing_token_endpoint_is_a_transient_failure_that_quotes_no_secret()
    {
        _tokenEndpoint.Answer(new Reply(400, $$"""{"error":"invalid_grant","echo":"{{RefreshToken}} {{ClientSecret}}"}"""));
        await using var sandbox = await EbaySandboxHost.StartAsync();

        var outcome = Assert.Single(await sandbox.Inventory(credentials: Credentials()).SendAsync([Update("O-1", 1)], default));

        Assert.Equal(UpdateResult.TransientFailure, outcome.Result);
        Assert.Contains("400", outcome.Message);
        Assert.DoesNotMatch(Regex.Escape(RefreshToken) + "|" + Regex.Escape(ClientSecret), outcome.Message!);
        Assert.Empty(sandbox.ApiRequests);
    }

    private Dictionary<string, string> Credentials() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["ClientId"] = ClientId,
        ["ClientSecret"] = ClientSecret,
        ["RefreshToken"] = RefreshToken,
        ["TokenUrl"] = new Uri(_tokenEndpoint.Url, "identity/v1/oauth2/token").ToString(),
    };
}
