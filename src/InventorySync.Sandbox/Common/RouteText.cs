namespace InventorySync.Sandbox.Common;

internal static class RouteText
{
    /// <summary>
    /// A route value as the client meant it: the server decodes every escape in the path except <c>%2F</c>, so a
    /// listing id or SKU holding '/' (sent as <c>%2F</c>) reaches the route still escaped.
    /// </summary>
    public static string Decode(string routeValue) => routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
