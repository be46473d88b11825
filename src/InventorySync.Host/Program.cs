using InventorySync.Host;

// Ctrl+C and SIGTERM stop the host, which leaves the cluster through Akka's coordinated shutdown.
await NodeApp.Build(args).RunAsync();
