using Akka.Hosting;
using Akka.Logger.Serilog;
using InventorySync.Channels;
using InventorySync.Cluster.Hosting;
using InventorySync.Host.Channels;
using InventorySync.Host.Health;
using InventorySync.Host.Http;
using InventorySync.Host.Incidents;
using InventorySync.Host.Listings;
using InventorySync.Host.Metrics;
using Prometheus;
using InventorySync.Host.Orders;
using InventorySync.Host.Security;
using InventorySync.Domain.Channels;
using InventorySync.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
using InventorySync.Host.Skus;
using Serilog;

namespace InventorySync.Host;

/// <summary>The node: the HTTP bridge in front of the actor system, as one configured <see cref="WebApplication"/>.</summary>
public static class NodeApp
{
    public static WebApplication Build(string[] args) => Build(args, AddInventoryNode);

    /// <param name="addNode">Registers <c>IInventoryClient</c> and <c>INodeReadiness</c>: the actor system, or a stand-in in tests.</param>
    internal static WebApplication Build(string[] args, Action<IServiceCollection, InventorySettings> addNode)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        NodeConfiguration.Load(builder.Configuration, builder.Environment.EnvironmentName, args);
        var settings = NodeConfiguration.InventorySettings(builder.Configuration);
        var bridge = BridgeSettings.Load(builder.Configuration);

        builder.Host.UseSerilog((context, logger) => logger.ReadFrom.Configuration(context.Configuration));
        CachingLoggerFactory.Wrap(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        builder.Services.AddSingleton(new ChannelDirectory(ChannelCatalog.Resolve(settings.Channels)));
        builder.Services.AddSingleton<NodeAddress>();
        builder.Services.AddSingleton(MetricsSettings.Load(builder.Configuration));
        builder.Services.AddHostedService<ChannelMetrics>();
        var sandbox = builder.Configuration.GetValue<bool>("Sandbox:Enabled");
        if (sandbox) builder.Services.AddSandbox(builder.Configuration.GetSection("Sandbox"));
        addNode(builder.Services, settings);
        builder.Services.AddSingleton(bridge);
        builder.Services.ConfigureHttpJsonOptions(json => HttpJson.Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = Problems.ExplainStatus);
        builder.Services.AddExceptionHandler<EntityUnavailableHandler>();
        builder.Services.AddApiKeyAuthentication(bridge);
        builder.Services.AddOpenApi(openApi => openApi.AddApiKeySecurity());

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseEmptySkuRejection();
        app.UseAuthentication();
        app.UseAuthorization();

        app.Lifetime.ApplicationStarted.Register(() =>
            app.Services.GetRequiredService<NodeAddress>().Started(app.Services.GetRequiredService<IServer>()));
        app.MapOpenApi();
        app.MapHealthApi();
        // Like the health probes, scraped without an API key (channel stats and process metrics only).
        app.MapMetrics();
        if (sandbox) app.MapSandbox();
        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapSkusApi();
        api.MapOrdersApi();
        api.MapIncidentsApi();
        api.MapListingsApi();
        api.MapChannelsApi();

        LogStartup(app, settings, bridge);
        return app;
    }

    /// <summary>
    /// The real node: the actor system, with the marketplace adapters unless a factory is registered already, and
    /// channels whose <c>BaseUrl</c> is a path on this node reaching it once it listens.
    /// </summary>
    internal static void AddInventoryNode(IServiceCollection services, InventorySettings settings)
    {
        services.AddMarketplaceAdapters();
        var adapters = services.Last(d => d.ServiceType == typeof(IMarketplaceClientFactory));
        services.Remove(adapters);
        services.AddSingleton<IMarketplaceClientFactory>(sp =>
            new OnNodeMarketplaces(Instance<IMarketplaceClientFactory>(adapters, sp), sp.GetRequiredService<NodeAddress>()));
        services.AddInventoryNode(settings, (akka, _) => akka.ConfigureLoggers(loggers =>
        {
            loggers.ClearLoggers();
            loggers.AddLogger<SerilogLogger>();
        }));
    }

    private static T Instance<T>(ServiceDescriptor descriptor, IServiceProvider services) =>
        (T)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private static void LogStartup(WebApplication app, InventorySettings settings, BridgeSettings bridge)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NodeApp));
        log.LogInformation(
            "Node starting: persistence {Persistence}, cluster {SystemName} on {Hostname}:{Port} with {SeedCount} seed node(s), {KeyCount} API key(s)",
            NodeConfiguration.DescribePersistence(settings.Persistence), settings.Cluster.SystemName,
            settings.Cluster.Hostname, settings.Cluster.Port, settings.Cluster.SeedNodes.Count, bridge.ApiKeys.Count);
        if (bridge.ApiKeys.Count == 0)
        {
            log.LogWarning(
                "No API keys are configured (Bridge:ApiKeys): only loopback clients are served. Configure keys before exposing this node");
        }
    }
}
