using System.Globalization;

namespace KubeDns.RuleScaleBenchmark;

/// <summary>
/// The rule generator as a new user meets it: the whole program, from manifests, into a fresh namespace, per
/// size and back end (iptables-legacy is the reference every ratio is against); the growth curve as a plot;
/// at the main size, one service added under <c>--watch</c> and the data path's connect latency.
/// </summary>
internal static class WholeProcess
{
    /// <summary>A run past this is stopped, and the back end skips the larger sizes.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    private static readonly Backend[] Backends = [Backend.IptablesLegacy, Backend.Nftables, Backend.IptablesNft, Backend.IptablesLegacyCompact];

    public static int Run(int services, int perService, string? sizesOption, string? plotOption)
    {
        var sizes = (sizesOption ?? "1000,3000,10000,30000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Append(services).Distinct().Order().ToList();
        var plot = plotOption ?? (Directory.Exists("benchmarks") ? Path.Combine("benchmarks", "rule-load-growth.svg") : "rule-load-growth.svg");
        Console.WriteLine();
        Console.WriteLine($"The whole program, --apply from manifests into a fresh namespace ({perService} endpoints a service; one run each; start-up, reading, listing, writing, loading; iptables(nf_tables) is {Version("iptables")}, nft {Version("nft")}; the reference is kube-proxy's layout on the legacy back end (--iptables-layout kube-proxy); the others as the default --iptables-layout auto applies them, compact on both iptables back ends):");
        Console.WriteLine();
        Console.WriteLine("| services | endpoints | iptables-legacy, kube-proxy's layout | nftables | iptables (nf_tables) | iptables-legacy | nftables / reference | iptables (nf_tables) / reference | iptables-legacy / reference |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var curve = Backends.ToDictionary(b => b, _ => new List<(int, double)>());
        var latency = new Dictionary<Backend, IReadOnlyList<(int Service, double MedianUs, double P99Us)>>();
        var folder = Directory.CreateTempSubdirectory("kdr-bench-manifests-").FullName;
        try
        {
            foreach (var size in sizes)
            {
                var manifests = Path.Combine(folder, size.ToString(CultureInfo.InvariantCulture));
                SyntheticManifests.Write(manifests, size, perService);
                var row = new Dictionary<Backend, double>();
                foreach (var backend in Backends)
                {
                    if (curve[backend].Any(p => double.IsInfinity(p.Item2)))
                    {
                        row[backend] = double.NaN;
                        continue;
                    }

                    using var ns = new BenchNamespace();
                    row[backend] = ApplyRun.OneShot(ns, manifests, backend, Limit);
                    curve[backend].Add((size, row[backend]));
                    if (size == services && double.IsFinite(row[backend]))
                    {
                        latency[backend] = ConnectLatency.Measure(ns, perService, 2000, 0, size - 1);
                    }
                }

                var legacy = row[Backend.IptablesLegacy];
                Console.WriteLine($"| {size:N0} | {size * perService:N0} | {S(legacy)} | {S(row[Backend.Nftables])} | {S(row[Backend.IptablesNft])} | {S(row[Backend.IptablesLegacyCompact])} | {Ratio(row[Backend.Nftables], legacy)} | {Ratio(row[Backend.IptablesNft], legacy)} | {Ratio(row[Backend.IptablesLegacyCompact], legacy)} |");
            }

            GrowthPlot.Write(plot, $"Full --apply, whole process, {perService} endpoints per service (nft {Version("nft")}, kernel {Environment.OSVersion.Version})",
                [.. Backends.Select(b => (Name(b), (IReadOnlyList<(int, double)>)curve[b]))]);
            Console.WriteLine();
            Console.WriteLine($"Plot: {plot}");

            Console.WriteLine();
            Console.WriteLine($"One service added to {services:N0} under --watch --apply, then a second (the sync: categorise, write, load, from its log; wall: file written to sync logged, with the watcher's 200 ms quiet period; the first pays for the partial path's first run):");
            Console.WriteLine();
            Console.WriteLine("| back end | first: sync | first: wall | second: sync | second: wall |");
            Console.WriteLine("|---|---|---|---|---|");
            var manifestsAtSize = Path.Combine(folder, services.ToString(CultureInfo.InvariantCulture));
            foreach (var backend in Backends)
            {
                using var ns = new BenchNamespace();
                var added = ApplyRun.ServicesAdded(ns, manifestsAtSize, backend, services, perService);
                Console.WriteLine($"| {Name(backend)} | {added[0].SyncMs:F0} ms | {added[0].WallMs:F0} ms | {added[1].SyncMs:F0} ms | {added[1].WallMs:F0} ms |");
            }

            Console.WriteLine();
            Console.WriteLine($"Connect latency through the rules at {services:N0} services (2,000 TCP connects from the namespace to each cluster IP, after 100 warm-up):");
            Console.WriteLine();
            Console.WriteLine("| back end | first service: median / p99 | last service: median / p99 | last / first (median) |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var (backend, results) in latency)
            {
                var (first, last) = (results[0], results[^1]);
                Console.WriteLine($"| {Name(backend)} | {first.MedianUs:F0} / {first.P99Us:F0} µs | {last.MedianUs:F0} / {last.P99Us:F0} µs | {last.MedianUs / first.MedianUs:F2} |");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static string Name(Backend backend) => backend switch
    {
        Backend.Nftables => "nftables",
        Backend.IptablesNft => "iptables (nf_tables)",
        Backend.IptablesLegacyCompact => "iptables-legacy",
        _ => "iptables-legacy, kube-proxy's layout",
    };

    private static string S(double seconds) => seconds switch
    {
        double.NaN => "not run",
        double.PositiveInfinity => "> 5 min",
        _ => $"{seconds:F1} s",
    };

    private static string Ratio(double value, double reference) =>
        double.IsFinite(value) && double.IsFinite(reference) ? (value / reference).ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string Version(string tool)
    {
        var info = new System.Diagnostics.ProcessStartInfo(tool, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = System.Diagnostics.Process.Start(info)!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text.Split(' ').FirstOrDefault(w => w.StartsWith('v')) ?? text;
    }
}
