using System.Runtime.InteropServices;

namespace InventorySync.TestSupport;

internal static class Posix
{
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    public static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
