namespace InventorySync.Host.Tests.Support;

/// <summary>Unique ids, so tests sharing a node never see each other's SKUs and orders.</summary>
public static class Ids
{
    public static string Sku() => $"sku-{Guid.NewGuid():N}";
    public static string Order() => $"order-{Guid.NewGuid():N}";
    public static string Reference() => $"ref-{Guid.NewGuid():N}";
}
