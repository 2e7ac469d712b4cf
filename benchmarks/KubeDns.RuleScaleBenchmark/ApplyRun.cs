using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeDns.RuleScaleBenchmark;

/// <summary>
/// The rule generator as a user runs it: the program itself (<c>dotnet KubeDns.ProxyRules.dll --manifests DIR
/// --apply</c>) inside a network namespace, timed from start to exit; or with <c>--watch</c>, a service added
/// while it runs. <see cref="Backend"/> picks what <c>iptables</c> is: this machine's default (nf_tables) or
/// iptables-legacy, by a PATH entry of symlinks, as <c>update-alternatives</c> would.
/// </summary>
internal static partial class ApplyRun
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "KubeDns.ProxyRules.dll");

    /// <summary>Seconds one <c>--apply</c> run took; infinity when stopped after <paramref name="limit"/>.</summary>
    public static double OneShot(BenchNamespace ns, string manifests, Backend backend, TimeSpan limit)
    {
        using var process = Start(ns, manifests, backend, watch: false);
        var error = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return double.PositiveInfinity;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"--apply ({backend}) exited with {process.ExitCode}: {error.Result}");
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Starts <c>--watch --apply</c> on <paramref name="manifests"/>, waits for its first sync, adds one service,
    /// then another, and returns for each the partial sync's own time (categorise, write, load; from its log
    /// line) and the time from the file's write to that line (which includes the file watcher's 200 ms quiet
    /// period). The first pays for the partial path's first run (JIT); the second is the steady state.
    /// </summary>
    public static IReadOnlyList<(double SyncMs, double WallMs)> ServicesAdded(BenchNamespace ns, string manifests, Backend backend, int firstNewService, int endpointsPerService)
    {
        using var process = Start(ns, manifests, backend, watch: true);
        var lines = new System.Collections.Concurrent.BlockingCollection<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Add(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var added = new List<int>();
        try
        {
            WaitFor(lines, "full", TimeSpan.FromMinutes(10));
            var results = new List<(double, double)>();
            for (var i = 0; i < 2; i++)
            {
                var clock = Stopwatch.StartNew();
                SyntheticManifests.WriteOne(manifests, firstNewService + i, endpointsPerService);
                added.Add(firstNewService + i);
                var synced = Synced().Match(WaitFor(lines, "partial", TimeSpan.FromMinutes(1)));
                results.Add((Ms(synced.Groups[1].Value) + Ms(synced.Groups[2].Value), clock.Elapsed.TotalMilliseconds));
            }

            return results;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            foreach (var service in added)
            {
                File.Delete(Path.Combine(manifests, $"added-{service}.yaml"));
            }
        }
    }

    private static Process Start(BenchNamespace ns, string manifests, Backend backend, bool watch)
    {
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            "netns", "exec", ns.Name, "dotnet", Dll, "--manifests", manifests, "--mode", backend == Backend.Nftables ? "nftables" : "iptables",
            "--apply", "--node-name", "node0", "--cluster-cidr", "10.128.0.0/9", .. watch ? (string[])["--watch", "--min-sync-period", "100ms"] : [],
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (backend == Backend.IptablesLegacy)
        {
            info.ArgumentList.Add("--iptables-layout");
            info.ArgumentList.Add("kube-proxy");
        }

        if (backend is Backend.IptablesLegacy or Backend.IptablesLegacyCompact)
        {
            info.Environment["PATH"] = LegacyPath() + ":" + Environment.GetEnvironmentVariable("PATH");
        }

        return Process.Start(info)!;
    }

    private static string WaitFor(System.Collections.Concurrent.BlockingCollection<string> lines, string kind, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (lines.TryTake(out var line, deadline - DateTime.UtcNow))
        {
            if (line.Contains("failed", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(line);
            }

            if (Synced().IsMatch(line) && line.Contains($" {kind}:", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new TimeoutException($"no {kind} sync within {timeout}");
    }

    /// <summary>A folder whose iptables, iptables-restore and iptables-save are the legacy backend's.</summary>
    private static string LegacyPath()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kdr-bench-legacy");
        Directory.CreateDirectory(folder);
        foreach (var tool in new[] { "iptables", "iptables-restore", "iptables-save", "ip6tables", "ip6tables-restore", "ip6tables-save" })
        {
            var link = Path.Combine(folder, tool);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, $"/usr/sbin/{tool.Replace("tables", "tables-legacy", StringComparison.Ordinal)}");
            }
        }

        return folder;
    }

    private static double Ms(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"written in ([\d.]+) ms, loaded in ([\d.]+) ms")]
    private static partial Regex Synced();
}

/// <summary>The rule back end a run uses.</summary>
internal enum Backend
{
    Nftables,
    IptablesNft,
    /// <summary>The reference: kube-proxy's program (<c>--iptables-layout kube-proxy</c>) on the legacy back end.</summary>
    IptablesLegacy,

    /// <summary>The legacy back end as <c>--iptables-layout auto</c> applies to it: the compact layout.</summary>
    IptablesLegacyCompact,
}
