using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace InventorySync.Host.Security;

public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";

    /// <summary>Authenticates callers by <see cref="ApiKeyRing"/>; endpoints opt in with <c>RequireAuthorization()</c>.</summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, BridgeSettings bridge)
    {
        services.AddSingleton(new ApiKeyRing(bridge.ApiKeys));
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Scheme, null);
        services.AddAuthorization();
        return services;
    }

    /// <summary>The name a change is recorded under: the API key's name, or <c>loopback</c>. Never the key.</summary>
    public static string Source(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("The endpoint was reached without an authenticated caller.");
}

internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyRing keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var caller = keys.Identify(Context.Connection.RemoteIpAddress, Request.Headers[ApiKeyRing.Header].ToString());
        if (!caller.IsKnown) return Task.FromResult(AuthenticateResult.Fail(caller.Refusal!));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Source!)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{ApiKeyAuthentication.Scheme} header=\"{ApiKeyRing.Header}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure?.Message ?? $"Send a valid API key in the {ApiKeyRing.Header} header.",
            },
        });
    }
}
