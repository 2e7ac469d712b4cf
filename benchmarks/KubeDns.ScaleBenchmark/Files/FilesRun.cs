using System.Diagnostics;
using System.Globalization;
using System.Net;
using KubeDns.ScaleBenchmark.Cluster;
using KubeDns.ScaleBenchmark.Measure;
using KubeDns.ScaleBenchmark.Processes;
using KubeDns.ScaleBenchmark.Run;

namespace KubeDns.ScaleBenchmark.Files;

/// <summary>
/// The server from a folder of manifests, measured as a new user meets it (issue 14): time until the last
/// service answers, memory after load (and after a forced GC), the peak while every file is rewritten, and the
/// time until a one-file edit is answered. Reference: CoreDNS's sizing guide, (pods + services) x 0.000858 +
/// 49.1 MB, with the endpoints counted as pods (every endpoint is a pod in a real cluster).
/// </summary>
internal static class FilesRun
{
    private const string Domain = "cluster.local";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var layout = new ClusterLayout(options);
        using var folder = new ManifestFolder(layout);
        var clock = Stopwatch.StartNew();
        folder.WriteAll();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Cluster: {options.Namespaces} namespaces, {layout.Services.Count:N0} services ({layout.HeadlessCount:N0} headless), {layout.SliceCount:N0} EndpointSlices holding {layout.EndpointCount:N0} endpoints, in {options.Namespaces} files, {folder} (written in {clock.Elapsed.TotalSeconds:F0} s)"));

        var checks = new List<string>();
        var last = layout.Services.Last(s => s.Kind == ServiceShapeKind.ClusterIP);
        await using var server = ServerProcess.Start(options.ServerProgram, ["--manifests", folder.Path], options.ServerEnvironment);
        using var probe = new DnsProbe(server.EndPoint, TimeSpan.FromMilliseconds(500));
        Console.WriteLine($"Started {server}{(options.ServerProgram is null ? string.Empty : " (" + options.ServerProgram + ")")}; waiting for the last service, {last.FullName(Domain)}...");
        var lastAnswered = await UntilAsync(server, () => Answers(probe, last.FullName(Domain), ClusterLayout.ClusterIP(last.Index)));
        var atLoad = ProcMemory.Read(server.Id);
        Check(probe, layout, checks);

        await Task.Delay(Settle);
        var afterLoad = ProcMemory.Read(server.Id);
        // A Native AOT program has no diagnostics port to force a collection through: those two rows stay empty.
        HeapAfterGc? heap = null;
        try
        {
            heap = await GcProbe.ForceFullCollectionAsync(server.Id, TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        catch (Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException)
        {
            Console.WriteLine("No diagnostics port (a Native AOT program): no forced GC.");
        }

        var afterGc = ProcMemory.Read(server.Id);

        // Every file rewritten (the last namespace's with one service more, whose answer shows the whole rewrite read).
        var resetPeak = ProcMemory.TryResetPeak(server.Id);
        var markerIP = IPAddress.Parse("10.255.0.1");
        var marker = ManifestFolder.Marker(last.Namespace, markerIP);
        var rewriteStarted = Stopwatch.GetTimestamp();
        folder.WriteAll(marker);
        var rewritten = await UntilAsync(server, () => Answers(probe, $"rewrite-marker.{last.Namespace}.svc.{Domain}", markerIP), rewriteStarted);
        var rewritePeak = ProcMemory.Read(server.Id);

        // One file edited: one service's cluster IP changed, once the rewrite has settled (the marker's file may be
        // read before others the rewrite wrote: the edit must not queue behind them).
        await Task.Delay(Settle);
        var edited = layout.Services.First(s => s.Kind == ServiceShapeKind.ClusterIP);
        var newIP = IPAddress.Parse("10.255.0.2");
        var editStarted = Stopwatch.GetTimestamp();
        folder.Write(edited.Namespace, marker, ManifestFolder.WithClusterIP(edited, newIP));
        var editAnswered = await UntilAsync(server, () => Answers(probe, edited.FullName(Domain), newIP), editStarted);
        if (server.HasExited)
        {
            throw new InvalidOperationException($"the server exited during the run. {server.Errors()}");
        }

        // The JIT program only (a Native AOT one cannot be dumped through the diagnostics port).
        HeapReport? breakdown = null;
        var analysisSeconds = 0.0;
        if (heap is not null && options.HeapBreakdown)
        {
            Console.WriteLine("Dumping the server and breaking its heap down (ClrMD)...");
            var analysis = Stopwatch.StartNew();
            breakdown = HeapBreakdown.Analyze(server.Id, Path.Combine(Path.GetTempPath(), $"kubedns-scale-files-{server.Id}.dmp"), options.KeepDump, Domain);
            analysisSeconds = analysis.Elapsed.TotalSeconds;
        }

        var reference = ((options.Endpoints + options.Services) * 0.000858) + 49.1;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"From files, {layout.Services.Count:N0} services / {layout.EndpointCount:N0} endpoints (one run; reference: CoreDNS's sizing guide, (pods + services) x 0.000858 + 49.1 = {reference:F0} MB, endpoints counted as pods):"));
        Console.WriteLine();
        Console.WriteLine("| Measure | Value | / reference |");
        Console.WriteLine("|---|---:|---:|");
        Row("Last service answering, from process start", $"{lastAnswered / 1000:F1} s", "");
        Row("Peak RSS during start and load (VmHWM)", $"{atLoad.PeakRssMiB:F0} MiB", Ratio(atLoad.PeakRssMiB, reference));
        Row("RSS after load (settled 3 s)", $"{afterLoad.RssMiB:F0} MiB (anon {afterLoad.RssAnonMiB:F0}, file {afterLoad.RssFileMiB:F0})", Ratio(afterLoad.RssMiB, reference));
        if (heap is not null)
        {
            Row("Managed heap after load: live objects after a forced full GC", $"{heap.SurvivedMiB:F0} MiB", Ratio(heap.SurvivedMiB, reference));
            Row("RSS after that GC", $"{afterGc.RssMiB:F0} MiB", Ratio(afterGc.RssMiB, reference));
        }

        Row("Every file rewritten: until the last file's new service answers", $"{rewritten / 1000:F1} s", "");
        Row(resetPeak ? "Peak RSS during the rewrite (VmHWM reset before it)" : "Peak RSS so far (VmHWM could not be reset)", $"{rewritePeak.PeakRssMiB:F0} MiB ({rewritePeak.PeakRssMiB / afterLoad.RssMiB:F2}x the RSS after load)", Ratio(rewritePeak.PeakRssMiB, reference));
        Row("One file edited (a service's cluster IP): until the new address answers", $"{editAnswered:F0} ms", "");
        if (breakdown is not null)
        {
            ScaleReport.WriteHeap(Console.Out, breakdown, analysisSeconds, "after the one-file edit");
        }

        Console.WriteLine();
        foreach (var check in checks)
        {
            Console.WriteLine($"- {check}");
        }

        ScaleReport.WriteMemoryReleases(Console.Out, server.MemoryReleases);

        return checks.Any(c => c.StartsWith("FAIL", StringComparison.Ordinal)) ? 1 : 0;
    }

    private static bool Answers(DnsProbe probe, string name, IPAddress address) =>
        probe.QueryA(name) is { RCode: DnsProbe.NoError } answer && answer.Addresses.SequenceEqual([address]);

    /// <summary>Polls every 20 ms until <paramref name="done"/>; milliseconds from <paramref name="since"/> (default: the server's start).</summary>
    private static async Task<double> UntilAsync(ServerProcess server, Func<bool> done, long? since = null)
    {
        var from = since ?? server.StartedAt;
        while (!done())
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the server exited. {server.Errors()}");
            }

            if (Stopwatch.GetElapsedTime(from) > Limit)
            {
                throw new TimeoutException($"not answered within {Limit}. {server.Errors()}");
            }

            await Task.Delay(20);
        }

        return Stopwatch.GetElapsedTime(from).TotalMilliseconds;
    }

    /// <summary>A headless service and an endpoint's PTR, so that the figures are those of a server that serves the cluster.</summary>
    private static void Check(DnsProbe probe, ClusterLayout layout, List<string> checks)
    {
        var headless = layout.FirstSmall(ServiceShapeKind.Headless, 3);
        var endpoints = Enumerable.Range(headless.FirstEndpoint, headless.EndpointCount).Select(ClusterLayout.PodIP).ToHashSet();
        var answer = probe.QueryA(headless.FullName(Domain));
        checks.Add($"{(answer is { RCode: 0 } a && a.Addresses.Count == endpoints.Count && a.Addresses.All(endpoints.Contains) ? "ok" : "FAIL")}: A {headless.FullName(Domain)} ({headless.EndpointCount} endpoints)");

        var clusterIP = layout.FirstSmall(ServiceShapeKind.ClusterIP, 1);
        var endpoint = ClusterLayout.PodIP(clusterIP.FirstEndpoint);
        var ptr = probe.QueryPtr(ClusterLayout.Reverse(endpoint));
        checks.Add($"{(ptr is { RCode: 0 } p && p.Pointers.Contains($"{ClusterLayout.Dashed(endpoint)}.{clusterIP.FullName(Domain)}") ? "ok" : "FAIL")}: PTR {ClusterLayout.Reverse(endpoint)}");
    }

    private static string Ratio(double value, double reference) => (value / reference).ToString("F2", CultureInfo.InvariantCulture);

    private static void Row(string measure, string value, string ratio) => Console.WriteLine($"| {measure} | {value} | {ratio} |");
}
