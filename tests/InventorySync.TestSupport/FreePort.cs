using System.Net;
using System.Net.Sockets;

namespace InventorySync.TestSupport;

public static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it).</summary>
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
