using InventorySync.Cluster.Hosting;
using Microsoft.Extensions.Configuration;

namespace InventorySync.Host.Tests.Api;

public sealed class ConfigurationTests
{
    [Fact]
    public void Appsettings_gives_the_defaults_a_node_listens_and_joins_with()
    {
        var configuration = Load("Production");

        var settings = NodeConfiguration.InventorySettings(configuration);

        Assert.Equal("http://127.0.0.1:5080", configuration["urls"]);
        Assert.Equal(("sqlite", 4053), (settings.Persistence.Provider, settings.Cluster.Port));
        Assert.Empty(settings.Cluster.SeedNodes);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.AskTimeout);
        Assert.Empty(BridgeSettings.Load(configuration).ApiKeys);
    }

    [Fact]
    public void Command_line_arguments_override_appsettings()
    {
        var configuration = Load("Production",
            "--Cluster:Port=4999", "--Persistence:Provider=postgres", "--Ledger:Partitions=8", "--urls", "http://127.0.0.1:6000");

        var settings = NodeConfiguration.InventorySettings(configuration);

        Assert.Equal((4999, "postgres", 8), (settings.Cluster.Port, settings.Persistence.Provider, settings.Ledger.Partitions));
        Assert.Equal("http://127.0.0.1:6000", configuration["urls"]);
    }

    [Fact]
    public void Prefixed_environment_variables_override_appsettings_and_arguments_override_them()
    {
        // A key no node reads, so tests building nodes at the same time are not affected.
        const string variable = "InventorySync__ConfigurationProbe__Value";
        Environment.SetEnvironmentVariable(variable, "from-environment");
        try
        {
            Assert.Equal("from-environment", Load("Production")["ConfigurationProbe:Value"]);
            Assert.Equal("from-arguments", Load("Production", "--ConfigurationProbe:Value=from-arguments")["ConfigurationProbe:Value"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void The_environment_file_overrides_appsettings()
    {
        Assert.Equal("Information", Load("Production")["Serilog:MinimumLevel:Default"]);
        Assert.Equal("Debug", Load("Development")["Serilog:MinimumLevel:Default"]);
    }

    [Fact]
    public void Api_keys_may_be_plain_or_named_and_a_plain_key_is_named_by_its_index()
    {
        var configuration = Load("Production",
            "--Bridge:ApiKeys:0=plain-secret", "--Bridge:ApiKeys:1:Name=wms", "--Bridge:ApiKeys:1:Key=wms-secret",
            "--Bridge:MaxBodyBytes=2048");

        var bridge = BridgeSettings.Load(configuration);

        Assert.Equal([("api-key-0", "plain-secret"), ("wms", "wms-secret")], bridge.ApiKeys.Select(k => (k.Name, k.Key)));
        Assert.Equal((2048, 8 * 1024 * 1024), (bridge.MaxBodyBytes, bridge.MaxBatchBodyBytes));
    }

    [Fact]
    public void An_api_key_entry_without_a_key_stops_the_node_from_starting()
    {
        var configuration = Load("Production", "--Bridge:ApiKeys:0:Name=wms");

        var error = Assert.Throws<InvalidOperationException>(() => BridgeSettings.Load(configuration));
        Assert.Contains("Bridge:ApiKeys:0", error.Message);
    }

    [Fact]
    public void Start_up_log_describes_the_store_without_its_connection_string()
    {
        var postgres = new PersistenceSettings { Provider = "postgres", ConnectionString = "Host=db;Password=hunter2" };

        Assert.Equal("postgres", NodeConfiguration.DescribePersistence(postgres));
        Assert.EndsWith("/data/inventory.db", NodeConfiguration.DescribePersistence(new PersistenceSettings()));
    }

    private static ConfigurationManager Load(string environment, params string[] args)
    {
        var configuration = new ConfigurationManager();
        NodeConfiguration.Load(configuration, environment, args);
        return configuration;
    }
}
