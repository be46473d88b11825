using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace InventorySync.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sandbox marketplaces' state (listings, logs, rate limits, faults), with options bound from a
    /// configuration section (the <c>Sandbox</c> section by convention). Time comes from the registered
    /// <see cref="TimeProvider"/>, the system clock unless one was registered before.
    /// </summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<SandboxOptions>().Bind(section);
        return services.AddSandbox();
    }

    /// <summary>Registers the sandbox marketplaces' state, with options set in code.</summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services, Action<SandboxOptions>? configure = null)
    {
        var options = services.AddOptions<SandboxOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidation>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SandboxMarketplaces>();
        return services;
    }

    private sealed class SandboxOptionsValidation : IValidateOptions<SandboxOptions>
    {
        public ValidateOptionsResult Validate(string? name, SandboxOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
