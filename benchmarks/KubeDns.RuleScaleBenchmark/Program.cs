using System.Globalization;
using System.Net.Sockets;
using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Nftables;
using KubeDns.ProxyRules.Sync;
using KubeDns.RuleScaleBenchmark;

// dotnet run -c Release --project benchmarks/KubeDns.RuleScaleBenchmark [-- SERVICES ENDPOINTS_PER_SERVICE [--load] [--save DIR] [--write-only]
//   [--apply-only] [--sizes 1000,3000,10000,30000] [--plot FILE] [--write-manifests DIR]]
// Needs root, iproute2, iptables and nftables: every loader runs in a network namespace of its own. Checks use
// --noflush, as the partial program is checked over the full one (it jumps to chains it does not declare).
// Loads always run where they are quick or needed (iptables' legacy backend; nftables, whose partial program is
// checked against the loaded table; iptables' nf_tables backend with the compact layout and -S line, as --apply
// writes for it); --load adds kube-proxy's layout through iptables' nf_tables backend, minutes at full scale.
// Each loader run is stopped after 5 minutes. --save DIR writes the programs ({mode}-full.txt, {mode}-partial.txt)
// to read or feed to the loaders by hand. --write-only skips the loaders (seconds, not minutes).
// Then the program as a user runs it (WholeProcess): one --apply per size and back end into a fresh namespace, the
// growth curve drawn to --plot (default benchmarks/rule-load-growth.svg); at SERVICES, one service added under
// --watch and connect latency through the rules. --apply-only runs that part alone. --write-manifests DIR only
// writes the synthetic cluster's manifests (to run the program on by hand).
string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
var saveDir = Option("--save");
string[] valuedOptions = ["--save", "--sizes", "--plot", "--write-manifests"];
var valued = valuedOptions.Select(n => Array.IndexOf(args, n) + 1).Where(i => i > 0).ToHashSet();
var numbers = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && !valued.Contains(i)).ToList();
var services = numbers.Count > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 10_000;
var perService = numbers.Count > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 10;
var withSlowLoad = args.Contains("--load");
var writeOnly = args.Contains("--write-only");
if (Option("--write-manifests") is { } manifestsDir)
{
    SyntheticManifests.Write(manifestsDir, services, perService);
    return 0;
}

if (args.Contains("--apply-only"))
{
    return WholeProcess.Run(services, perService, Option("--sizes"), Option("--plot"));
}

var (list, slices) = SyntheticCluster.Create(services, perService);
var changed = services / 2;
var changedSlices = slices.Select((s, i) => i == changed ? SyntheticCluster.Slice(i, perService, generation: 1) : s).ToList();
var changedKeys = new HashSet<ObjectKey> { new($"ns{changed % 100}", $"svc{changed}") };
var settings = new RuleSettings(AddressFamily.InterNetwork, "10.128.0.0/9", NodeName: "node0");
Console.WriteLine($"{services:N0} services, {services * perService:N0} endpoints; one service's endpoint moved for the partial sync; {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

Console.WriteLine();
Console.WriteLine("Writing the program (median of 5):");
Console.WriteLine();
Console.WriteLine("| mode | sync | write | bytes | lines |");
Console.WriteLine("|---|---|---|---|---|");
// Part of each sync's time, as the syncer does it: a full sync categorises every service's endpoints, a partial
// one only the changed services' (the rest are kept from the sync before).
var fullSnapshot = new ClusterSnapshot(list, slices, new HashSet<ObjectKey>());
var changedSnapshot = new ClusterSnapshot(list, changedSlices, changedKeys);
var (categorisingAll, _) = Timing.Median(() => new ServicePortCache(settings).For(fullSnapshot, full: true));
var keptPorts = new ServicePortCache(settings);
keptPorts.For(fullSnapshot, full: true);
var (categorisingChanged, _) = Timing.Median(() => keptPorts.For(changedSnapshot, full: false));
Console.WriteLine($"| (both) | full: every service's endpoints categorised | {categorisingAll:F1} ms | | |");
Console.WriteLine($"| (both) | partial: the changed service's | {categorisingChanged:F1} ms | | |");
var programs = new Dictionary<string, (RuleProgram Full, RuleProgram Partial)>();
IRuleWriter compact = new IptablesRules(settings, layout: IptablesLayout.Compact, wholeTableCache: true);
foreach (var (mode, writer) in new (string, IRuleWriter)[] { ("iptables", new IptablesRules(settings)), ("iptables-compact", compact), ("nftables", new NftablesRules(settings)) })
{
    var cache = new ServicePortCache(settings);
    var (fullTime, full) = Timing.Median(() => writer.Write(cache.For(fullSnapshot, full: true), null, new HashSet<string>()));
    var (partialTime, partial) = Timing.Median(
        () => writer.Write(cache.For(changedSnapshot, full: false), changedKeys, full.Chains),
        setUp: () => writer.Write(cache.For(fullSnapshot, full: true), null, new HashSet<string>()));
    programs[mode] = (full, partial);
    Console.WriteLine($"| {mode} | full | {fullTime:F1} ms | {full.Text.Length:N0} | {Lines(full)} |");
    Console.WriteLine($"| {mode} | partial | {partialTime:F1} ms | {partial.Text.Length:N0} | {Lines(partial)} |");
    Console.WriteLine($"| {mode} | partial / full | {partialTime / fullTime:F3} | {(double)partial.Text.Length / full.Text.Length:F4} | |");
    if (saveDir is not null)
    {
        Directory.CreateDirectory(saveDir);
        File.WriteAllText(Path.Combine(saveDir, $"{mode}-full.txt"), full.Text);
        File.WriteAllText(Path.Combine(saveDir, $"{mode}-partial.txt"), partial.Text);
    }
}

if (writeOnly)
{
    return 0;
}

Console.WriteLine();
Console.WriteLine("Checking and loading it (one run each, into a fresh namespace; the partial program over the loaded full one):");
Console.WriteLine();
Console.WriteLine("| loader | full check | full load | partial check | partial load | partial / full load |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var loader in new Loader[]
{
    new("iptables-legacy-restore", "iptables", ["iptables-legacy-restore", "--test", "--noflush"], ["iptables-legacy-restore", "--noflush"], Load: true),
    new("iptables-nft-restore", "iptables", ["iptables-nft-restore", "--test", "--noflush"], ["iptables-nft-restore", "--noflush"], withSlowLoad),
    new("iptables-nft-restore, compact layout and -S", "iptables-compact", ["iptables-nft-restore", "--test", "--noflush"], ["iptables-nft-restore", "--noflush"], Load: true),
    new("nft -f", "nftables", ["nft", "-c", "-f", "-"], ["nft", "-f", "-"], Load: true),
})
{
    var (full, partial) = programs[loader.Mode];
    using var ns = new BenchNamespace();
    // kube-proxy's layout through iptables-nft takes the whole 5 minutes even to check: only with --load.
    var fullCheck = loader.Load ? ns.Run(loader.Check, full.Text) : (double?)null;
    var fullLoad = loader.Load ? ns.Run(loader.Apply, full.Text) : (double?)null;
    var partialCheck = fullLoad is not null ? ns.Run(loader.Check, partial.Text) : (double?)null;
    var partialLoad = fullLoad is not null ? ns.Run(loader.Apply, partial.Text) : (double?)null;
    Console.WriteLine($"| {loader.Name} | {Ms(fullCheck)} | {Ms(fullLoad)} | {Ms(partialCheck)} | {Ms(partialLoad)} | {(partialLoad / fullLoad)?.ToString("F3", CultureInfo.InvariantCulture) ?? "-"} |");
}

Console.WriteLine();
Console.WriteLine("kube-proxy (iptables), published: a 700k-line restore took 12.8 s; partial syncs (KEP-3453) halved programming latency at 5k nodes.");
return WholeProcess.Run(services, perService, Option("--sizes"), Option("--plot"));

static string Lines(RuleProgram program) => program.Text.Count(c => c == '\n').ToString("N0", CultureInfo.InvariantCulture);

static string Ms(double? ms) => ms switch
{
    null => "not run",
    double.PositiveInfinity => "> 5 min",
    _ => $"{ms:F0} ms",
};

internal sealed record Loader(string Name, string Mode, string[] Check, string[] Apply, bool Load);
