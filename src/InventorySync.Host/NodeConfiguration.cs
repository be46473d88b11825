using InventorySync.Cluster.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace InventorySync.Host;

/// <summary>
/// Where a node's configuration comes from, later ones winning: <c>config/appsettings.json</c> and
/// <c>config/appsettings.{Environment}.json</c> beside the binaries, <c>ASPNETCORE_*</c> variables (for
/// <c>ASPNETCORE_URLS</c>), <c>InventorySync__*</c> variables, then command-line arguments.
/// </summary>
internal static class NodeConfiguration
{
    public const string EnvironmentPrefix = "InventorySync__";

    public static void Load(ConfigurationManager configuration, string environmentName, string[] args)
    {
        var frameworkDefaults = configuration.Sources
            .Where(s => s is FileConfigurationSource or EnvironmentVariablesConfigurationSource or CommandLineConfigurationSource)
            .ToList();
        foreach (var source in frameworkDefaults) configuration.Sources.Remove(source);

        var directory = Path.Combine(AppContext.BaseDirectory, "config");
        configuration
            .AddJsonFile(Path.Combine(directory, "appsettings.json"), optional: false, reloadOnChange: false)
            .AddJsonFile(Path.Combine(directory, $"appsettings.{environmentName}.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine(args);
    }

    /// <summary>The node's settings from the root sections (<c>Persistence</c>, <c>Cluster</c>, <c>Sku</c>, <c>Ledger</c>, <c>AskTimeout</c>).</summary>
    public static InventorySettings InventorySettings(IConfiguration configuration) =>
        configuration.Get<InventorySettings>() ?? new InventorySettings();

    /// <summary>Where events are kept, for the start-up log: the SQLite file, or the provider alone (never a password).</summary>
    public static string DescribePersistence(PersistenceSettings persistence) =>
        string.Equals(persistence.Provider, PersistenceSettings.Sqlite, StringComparison.OrdinalIgnoreCase)
            ? "sqlite " + Path.GetFullPath(new SqliteConnectionStringBuilder(
                string.IsNullOrWhiteSpace(persistence.ConnectionString)
                    ? InventoryHosting.DefaultSqliteConnectionString
                    : persistence.ConnectionString).DataSource)
            : persistence.Provider;
}
