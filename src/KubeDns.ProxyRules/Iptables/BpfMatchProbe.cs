using System.Diagnostics;

namespace KubeDns.ProxyRules.Iptables;

/// <summary>
/// Whether the kernel takes the compact layout's hairpin rule (<see cref="HairpinMatch"/>, the <c>xt_bpf</c>
/// match): one restore adds a chain of ours holding that rule to the filter table, another removes it. Only a
/// commit shows it (the kernel checks matches when the table is replaced; <c>--test</c> never gets there), and
/// the filter table is the small one (the nat table holds the services). A chain a probe stopped half way left
/// is flushed and reused by the next (<c>:CHAIN</c> under <c>--noflush</c>).
/// </summary>
internal static class BpfMatchProbe
{
    private const string Chain = "KUBEDNS-BPF-PROBE";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Null when <paramref name="binary"/> (iptables or ip6tables) loads the match, or when the failure is not the
    /// match's: the same chain with a plain rule fails too (a busy lock, no permission), which the sync's own
    /// loads then report and retry. Else what the restore said about the match.
    /// </summary>
    public static string? WhyNot(string binary, bool ipv6)
    {
        var refused = Restore(binary, WithRule(HairpinMatch.For(ipv6) + " -j RETURN"));
        var control = refused is null ? null : Restore(binary, WithRule("-j RETURN"));

        // A chain left behind would only be listed, never jumped to, so a failed removal is not the answer's
        // concern (the next probe reuses it).
        Restore(binary, $"*filter\n-F {Chain}\n-X {Chain}\nCOMMIT\n");
        return refused is not null && control is null ? refused : null;
    }

    private static string WithRule(string rule) => $"*filter\n:{Chain} - [0:0]\n-A {Chain} {rule}\nCOMMIT\n";

    private static string? Restore(string binary, string program)
    {
        var info = new ProcessStartInfo(binary + "-restore")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-w", IptablesEntryPoints.LockWaitSeconds, "--noflush" })
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            try
            {
                process.StandardInput.Write(program);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited without reading the program (a busy lock, say): its exit code and message say why.
            }
            if (!process.WaitForExit(Timeout))
            {
                process.Kill();
                return $"{info.FileName} did not finish in {Timeout.TotalSeconds:F0} s";
            }

            return process.ExitCode == 0 ? null : $"{info.FileName}: {stderr.Result.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{info.FileName}: {e.Message}";
        }
    }
}
