using System.Globalization;
using KubeDns.ScaleBenchmark.Fake;
using KubeDns.ScaleBenchmark.Measure;

namespace KubeDns.ScaleBenchmark.Run;

/// <summary>Prints the run as Markdown tables (they paste into benchmarks/README.md as they are).</summary>
internal static class ScaleReport
{
    public static void Write(TextWriter output, ScaleResult r)
    {
        var w = new Writer(output);
        var reference = r.ReferenceMiB;
        w.Line();
        w.Line($"## KubeDns scale benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        w.Line();
        w.Line($"Cluster: {r.Cluster}.");
        w.Line($"Fake API server: {r.FakeReady}.");
        if (r.ServerEnvironment.Count > 0)
        {
            w.Line($"Server environment: {string.Join(' ', r.ServerEnvironment)}.");
        }

        w.Line($"Reference: CoreDNS's published sizing, (pods + services) / 1000 + 54 = {reference:F0} MiB. Ratio = ours / reference.");
        w.Line();
        w.Line("| Measure | KubeDns | Ratio to reference |");
        w.Line("|---|---:|---:|");
        w.Line($"| Time to ready (unknown name: SERVFAIL → NXDOMAIN), from process start | {r.ReadyMs / 1000:F1} s | |");
        w.Line($"| First DNS answer (listeners up; SERVFAIL) | {r.FirstAnswerMs / 1000:F1} s | |");
        w.Line($"| CPU used to ready: server (user + sys) / fake API server serving the lists | {r.ServerCpuToReady.TotalSeconds:F1} s ({r.ServerCpuToReady.UserSeconds:F1} + {r.ServerCpuToReady.SystemSeconds:F1}) / {r.FakeCpuToReady.TotalSeconds:F1} s | |");
        foreach (var (source, (ms, _)) in r.Synced.OrderBy(s => s.Value.Ms))
        {
            w.Line($"| {source} synced (log line) | {ms / 1000:F1} s | |");
        }

        Memory(w, "at ready", r.AtReady, reference);
        Memory(w, "after sync, idle 3 s", r.AfterSync, reference);
        Heap(w, "after sync", r.HeapAfterSync, reference);
        Memory(w, "after sync + that GC", r.AfterSyncGc, reference);
        w.Line($"| Peak RSS (VmHWM) during start-up and sync | {r.AfterSync.PeakRssMiB:F0} MiB | {r.AfterSync.PeakRssMiB / reference:F2} |");
        Change(w, r.SmallChange);
        Change(w, r.BigChange);
        w.Line($"| Forced relist of all kinds (410 → lists → watches); server CPU during it | {r.RelistMs / 1000:F1} s; {r.ServerCpuRelist.TotalSeconds:F1} s CPU | |");
        var peakLabel = r.PeakReset ? "Peak RSS during the relist (VmHWM reset before it)" : "Peak RSS so far (VmHWM could not be reset)";
        w.Line($"| {peakLabel} | {r.AfterRelist.PeakRssMiB:F0} MiB | {r.AfterRelist.PeakRssMiB / reference:F2} |");
        Memory(w, "after relist, idle 3 s", r.AfterRelist, reference);
        Heap(w, "after relist", r.HeapAfterRelist, reference);
        Memory(w, "after relist + that GC", r.AfterRelistGc, reference);
        w.Line();

        w.Line($"Second reference: CoreDNS's sizing when it watches Pods (its autopath formula, (pods + services) / 250 + 56 = {r.PodsWatchedReferenceMiB:F0} MiB; this server watches Pods for --pods verified): " +
               $"peak RSS {Math.Max(r.AfterSync.PeakRssMiB, r.AfterRelist.PeakRssMiB) / r.PodsWatchedReferenceMiB:F2}, RSS after relist + GC {r.AfterRelistGc.RssMiB / r.PodsWatchedReferenceMiB:F2} of it.");
        w.Line($"Relist verified by the fake API server's request counts (kinds {string.Join(", ", FakeApiCommands.Kinds)}): " +
               $"list requests {Join(r.StatsBeforeRelist.Lists)} → {Join(r.StatsAfterRelist.Lists)}, watches started {Join(r.StatsBeforeRelist.Watches)} → {Join(r.StatsAfterRelist.Watches)}; " +
               $"{r.RelistProbes} probes during it (a service A and an unknown name), {r.RelistWrongAnswers} wrong answers.");
        if (r.Heap is { } heap)
        {
            w.Line($"Informer counters read from the dump: {string.Join(", ", heap.Informers.Select(i => $"{i.Source} relists={i.Relists} watches={i.Watches}"))}.");
        }

        w.Line($"RSS split after relist + GC: anonymous {r.AfterRelistGc.RssAnonMiB:F0} MiB (GC heap, native allocations, stacks), file-backed {r.AfterRelistGc.RssFileMiB:F0} MiB (runtime and assemblies mapped), shared {r.AfterRelistGc.RssShmemMiB:F0} MiB (JIT'd code, mapped twice for W^X).");
        w.Line();
        w.Line("Answer checks after sync:");
        foreach (var check in r.Checks)
        {
            w.Line($"- {check}");
        }

        if (r.Heap is { } report)
        {
            HeapTables(w, report, r.HeapAnalysisSeconds);
        }

        w.Line();
        w.Line($"Total run time: {r.TotalSeconds:F0} s. Load average (1, 5, 15 min) at the start {r.LoadAtStart}, at the end {r.LoadAtEnd}.");
    }

    private static void Memory(Writer w, string when, ProcMemory memory, double reference)
    {
        w.Line($"| RSS {when} | {memory.RssMiB:F0} MiB | {memory.RssMiB / reference:F2} |");
    }

    private static void Heap(Writer w, string when, HeapAfterGc? heap, double reference)
    {
        if (heap is null)
        {
            return;
        }

        w.Line($"| Managed heap {when}: live objects after a forced full GC | {heap.SurvivedMiB:F0} MiB | {heap.SurvivedMiB / reference:F2} |");
        w.Line($"| Managed heap {when}: generation sizes, free gaps included (gen0/1/2 {Mib(heap.Gen0):F0}/{Mib(heap.Gen1):F0}/{Mib(heap.Gen2):F0}, LOH {Mib(heap.LargeObjects):F0}, POH {Mib(heap.PinnedObjects):F1} MiB) | {heap.TotalMiB:F0} MiB | {heap.TotalMiB / reference:F2} |");
    }

    private static void Change(Writer w, ChangeTimes? change)
    {
        if (change is null)
        {
            return;
        }

        w.Line($"| EndpointSlice change → new answer served, {change.What}: median (p90; min-max) of {change.Ms.Count}; the fake's own update median {change.FakeMedian:F2} ms | {change.Median:F2} ms ({change.P90:F2}; {change.Min:F2}-{change.Max:F2}) | |");
    }

    /// <summary>The server's own lines on the collections it ran after an allocation burst (when, RSS before and after, how long).</summary>
    public static void WriteMemoryReleases(TextWriter output, IReadOnlyList<string> lines)
    {
        output.WriteLine($"Memory given back after allocation bursts ({lines.Count}, from the server's log):");
        foreach (var line in lines)
        {
            output.WriteLine($"- {line.Trim()}");
        }
    }

    /// <summary>The heap breakdown tables alone (the from-files run: <paramref name="when"/> says at which point).</summary>
    public static void WriteHeap(TextWriter output, HeapReport heap, double seconds, string when) =>
        HeapTables(new Writer(output), heap, seconds, when);

    private static void HeapTables(Writer w, HeapReport heap, double seconds, string when = "after the relist")
    {
        w.Line();
        w.Line($"Heap breakdown {when} (dump of {Mib(heap.DumpBytes):F0} MiB read with ClrMD in {seconds:F0} s): " +
               $"{Mib(heap.LiveBytes):F1} MiB live in {heap.LiveObjects:N0} objects ({heap.EmptyArrays:N0} of them empty arrays, {Mib(heap.EmptyArrays * 24):F1} MiB); GC segments committed {Mib(heap.CommittedBytes):F0} MiB.");
        w.Line();
        w.Line("Served zone snapshot by kind of name (the builder keeps no records beside it; its name indexes are in the owner table):");
        w.Line();
        w.Line("| Names | Count | Snapshot MiB | Bytes per name |");
        w.Line("|---|---:|---:|---:|");
        var snapshot = heap.ByOwner.Where(o => o.Area == "zone snapshot (served)" && o.What.Contains("names", StringComparison.Ordinal) && !o.What.StartsWith("names map", StringComparison.Ordinal)).ToList();
        long names = 0;
        long bytes = 0;
        foreach (var row in snapshot.OrderByDescending(o => o.Bytes))
        {
            var count = row.Objects / 2; // a name array and a node data array per name (ZoneAttribution.ChargeTrie)
            names += count;
            bytes += row.Bytes;
            w.Line($"| {row.What} | {count:N0} | {Mib(row.Bytes):F1} | {row.Bytes / Math.Max(1, count):N0} |");
        }

        w.Line($"| all names | {names:N0} | {Mib(bytes):F1} | {bytes / Math.Max(1, names):N0} |");
        w.Line();
        w.Line("By owner (each object charged once, to the first row, in this order, that reaches it):");
        w.Line();
        w.Line("| Area | Owner | MiB | Objects | Largest types (MiB) |");
        w.Line("|---|---|---:|---:|---|");
        foreach (var owner in heap.ByOwner.Where(o => o.Bytes > 0))
        {
            w.Line($"| {owner.Area} | {owner.What} | {Mib(owner.Bytes):F1} | {owner.Objects:N0} | {string.Join(", ", owner.TopTypes.Take(4).Select(t => $"{Short(t.Type)} {Mib(t.Bytes):F1}"))} |");
        }

        w.Line($"| rest | host, KubernetesClient, runtime statics, buffers | {Mib(heap.UnchargedBytes):F1} | | |");
        w.Line();
        w.Line("By type (live, top 25):");
        w.Line();
        w.Line("| Type | Objects | MiB | Bytes/object |");
        w.Line("|---|---:|---:|---:|");
        foreach (var type in heap.ByType.Take(25))
        {
            w.Line($"| {Short(type.Type)} | {type.Count:N0} | {Mib(type.Bytes):F1} | {type.Bytes / Math.Max(1, type.Count):N0} |");
        }
    }

    private static string Join(int[] values) => string.Join('/', values);

    private static double Mib(long bytes) => bytes / 1048576.0;

    /// <summary>Type names without the namespaces of their generic arguments, to fit a table cell.</summary>
    private static string Short(string type) =>
        System.Text.RegularExpressions.Regex.Replace(type, @"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+\.(?=[A-Za-z0-9_<`]+)", string.Empty).Replace("|", "\\|", StringComparison.Ordinal);

    private sealed class Writer(TextWriter output)
    {
        public void Line(FormattableString text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));

        public void Line(string text = "") => output.WriteLine(text);
    }
}
