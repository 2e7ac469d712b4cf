using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Nftables;
using KubeDns.ProxyRules.Sync;
using KubeDns.RuleScaleBenchmark;

// dotnet run -c Release --project benchmarks/KubeDns.RuleScaleBenchmark [-- SERVICES ENDPOINTS_PER_SERVICE [--load]]
// Needs root, iproute2, iptables and nftables (the checks and loads run in a network namespace of its own).
// --load also loads the programs (full, then the partial over it; nftables always loads the full one, since it
// checks a partial program against the loaded table); each loader run is stopped after 5 minutes.
var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var services = numbers.Count > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 10_000;
var perService = numbers.Count > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 10;
var withLoad = args.Contains("--load");
var (list, slices) = SyntheticCluster.Create(services, perService);
var changed = services / 2;
var changedSlices = slices.Select((s, i) => i == changed ? SyntheticCluster.Slice(i, perService, generation: 1) : s).ToList();
var settings = new RuleSettings(AddressFamily.InterNetwork, "10.128.0.0/9", NodeName: "node0");
Console.WriteLine($"{services:N0} services, {services * perService:N0} endpoints; one service's endpoint moved for the partial sync; {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine();
Console.WriteLine("| mode | sync | write (median of 5) | bytes | lines | loader check | load into a namespace |");
Console.WriteLine("|---|---|---|---|---|---|---|");

foreach (var (mode, writer, check, load) in new (string, IRuleWriter, string[], string[])[]
{
    ("iptables", new IptablesRules(settings), ["iptables-restore", "--test"], ["iptables-restore", "--noflush"]),
    ("nftables", new NftablesRules(settings), ["nft", "-c", "-f", "-"], ["nft", "-f", "-"]),
})
{
    var ports = ServicePort.All(list, slices, settings);
    var (fullTime, full) = Measure(() => writer.Write(ports, null, new HashSet<string>()));
    var changedPorts = ServicePort.All(list, changedSlices, settings);
    var (partialTime, partial) = Measure(() => writer.Write(changedPorts, new HashSet<ObjectKey> { new($"ns{changed % 100}", $"svc{changed}") }, full.Chains));
    var ns = $"kdr-bench-{Environment.ProcessId}";
    Run("ip", ["netns", "add", ns], null);
    try
    {
        var fullCheck = Run("ip", ["netns", "exec", ns, .. check], full.Text);
        // nft checks a partial program against the table it changes: the full one is loaded first.
        var fullLoad = withLoad || mode == "nftables" ? Run("ip", ["netns", "exec", ns, .. load], full.Text) : double.NaN;
        var partialCheck = Run("ip", ["netns", "exec", ns, .. check], partial.Text);
        var partialLoad = withLoad ? Run("ip", ["netns", "exec", ns, .. load], partial.Text) : double.NaN;
        Row(mode, "full", fullTime, full, fullCheck, fullLoad);
        Row(mode, "partial", partialTime, partial, partialCheck, partialLoad);
        Console.WriteLine($"| {mode} | partial / full | {partialTime / fullTime:F3} | {(double)partial.Text.Length / full.Text.Length:F4} | | {partialCheck / fullCheck:F3} | {partialLoad / fullLoad:F3} |");
    }
    finally
    {
        Run("ip", ["netns", "del", ns], null);
    }
}

Console.WriteLine();
Console.WriteLine("kube-proxy (iptables), published: a 700k-line restore took 12.8 s; partial syncs (KEP-3453) halved programming latency at 5k nodes.");
return 0;

static (double Ms, RuleProgram Program) Measure(Func<RuleProgram> write)
{
    var program = write();
    var times = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        var clock = Stopwatch.StartNew();
        program = write();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    return (times.Order().ElementAt(2), program);
}

static void Row(string mode, string sync, double ms, RuleProgram program, double check, double load) =>
    Console.WriteLine($"| {mode} | {sync} | {ms:F1} ms | {program.Text.Length:N0} | {program.Text.Count(c => c == '\n'):N0} | {check:F0} ms | {load:F0} ms |");

static double Run(string file, string[] arguments, string? input)
{
    var info = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var error = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEndAsync();
    if (input is not null)
    {
        process.StandardInput.Write(input);
    }

    process.StandardInput.Close();
    if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
    {
        process.Kill(entireProcessTree: true);
        return double.PositiveInfinity;
    }

    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error.Result}{output.Result}");
    }

    return clock.Elapsed.TotalMilliseconds;
}
