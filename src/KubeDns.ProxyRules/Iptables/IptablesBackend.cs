using System.Diagnostics;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>
/// Which kernel back end the system's <c>iptables</c> drives: <c>iptables --version</c> ends in <c>(nf_tables)</c>
/// or <c>(legacy)</c> (iptables 1.8+; older ones print neither and are legacy).
/// </summary>
internal static class IptablesBackend
{
    /// <summary>Whether <paramref name="binary"/> is the nf_tables one; false when it does not run.</summary>
    public static bool IsNfTables(string binary)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(binary, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
            {
                return false;
            }

            var version = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return IsNfTablesVersion(version);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed: the load reports that, with the command's name.
            return false;
        }
    }

    public static bool IsNfTablesVersion(string versionLine) => versionLine.Contains("(nf_tables)", StringComparison.Ordinal);
}
