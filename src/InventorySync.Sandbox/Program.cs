namespace InventorySync.Sandbox;

/// <summary>
/// The sandbox marketplaces on their own: <c>dotnet run --project src/InventorySync.Sandbox -- --urls http://127.0.0.1:5090</c>.
/// Options come from the <c>Sandbox</c> section: command-line arguments (<c>--Sandbox:Amazon:TimeScale=60</c>) and
/// environment variables (<c>InventorySync__Sandbox__Amazon__TimeScale=60</c>).
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddEnvironmentVariables("InventorySync__");
        builder.Configuration.AddCommandLine(args);
        builder.Services.AddSandbox(builder.Configuration.GetSection("Sandbox"));

        var app = builder.Build();
        app.MapSandbox();
        app.Run();
    }
}
