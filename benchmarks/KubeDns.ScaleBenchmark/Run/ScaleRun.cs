using System.Diagnostics;
using System.Globalization;
using KubeDns.ScaleBenchmark.Cluster;
using KubeDns.ScaleBenchmark.Measure;
using KubeDns.ScaleBenchmark.Processes;

namespace KubeDns.ScaleBenchmark.Run;

/// <summary>
/// One run: the fake API server child loads the cluster; the KubeDns server child syncs it; this process
/// measures the server from outside (DNS queries, /proc, the diagnostics IPC): time to ready, memory after
/// sync, EndpointSlice change latency, a forced relist, and where the heap goes.
/// </summary>
internal static class ScaleRun
{
    private const string Domain = "cluster.local";
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var total = Stopwatch.StartNew();
        var layout = new ClusterLayout(options);
        var cluster = string.Create(CultureInfo.InvariantCulture,
            $"{options.Namespaces} namespaces, {layout.Services.Count:N0} services ({layout.HeadlessCount:N0} headless), {layout.SliceCount:N0} EndpointSlices holding {layout.EndpointCount:N0} endpoints, {options.Pods:N0} pods");
        Console.WriteLine($"Cluster: {cluster}");
        Console.WriteLine("Starting the fake API server child and loading it...");
        await using var fake = await FakeApiProcess.StartAsync(options);
        Console.WriteLine($"Fake API server (pid {fake.Id}): {fake.ReadyLine}");

        var result = new ScaleResult
        {
            Cluster = cluster,
            FakeReady = fake.ReadyLine,
            ReferenceMiB = ((options.Pods + options.Services) / 1000.0) + 54,
            PodsWatchedReferenceMiB = ((options.Pods + options.Services) / 250.0) + 56,
            ServerEnvironment = options.ServerEnvironment,
            LoadAtStart = ScaleResult.LoadAverage(),
        };

        var fakeCpu = ProcCpu.Read(fake.Id);
        IReadOnlyList<string> releases = [];
        var server = ServerProcess.Start(options.ServerProgram, fake.Kubeconfig, options.Autopath, options.ServerEnvironment);
        await using (server)
        {
            Console.WriteLine($"Started {server}{(options.ServerProgram is null ? string.Empty : " (" + options.ServerProgram + ")")}{(options.Autopath ? " with --autopath" : string.Empty)}; waiting for an unknown name to turn from SERVFAIL to NXDOMAIN...");
            using var probe = new DnsProbe(server.EndPoint, TimeSpan.FromMilliseconds(500));
            await WaitReadyAsync(server, probe, layout, result);
            result.ServerCpuToReady = ProcCpu.Read(server.Id);
            result.FakeCpuToReady = ProcCpu.Read(fake.Id) - fakeCpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ready after {result.ReadyMs / 1000:F1} s; RSS {result.AtReady.RssMiB:F0} MiB"));
            Check(probe, layout, result);
            await CheckSyncedAsync(server, layout, result);

            (result.AfterSync, result.HeapAfterSync, result.AfterSyncGc) = await MeasureIdleAsync(server, "After sync");

            var small = layout.FirstSmall(ServiceShapeKind.ClusterIP, 3);
            result.SmallChange = await SliceChanges.TimeAsync(fake, probe, small, 0, 1, options.Changes,
                $"small slice ({small.EndpointCount} endpoints, ClusterIP service {small.Namespace}/{small.Name})", Domain);
            if (layout.FirstBig(ServiceShapeKind.Headless) is { } big)
            {
                result.BigChange = await SliceChanges.TimeAsync(fake, probe, big, 0, 1001, options.Changes,
                    $"full slice (100 of the {big.EndpointCount:N0} endpoints of headless service {big.Namespace}/{big.Name})", Domain);
            }

            await Relist.RunAsync(fake, server, probe, layout, result, Domain);
            (result.AfterRelist, result.HeapAfterRelist, result.AfterRelistGc) = await MeasureIdleAsync(server, "After relist");

            // The JIT program only (a Native AOT one cannot be dumped through the diagnostics port).
            if (options.HeapBreakdown && result.HeapAfterRelist is not null)
            {
                Console.WriteLine("Dumping the server and breaking its heap down (ClrMD)...");
                var analysis = Stopwatch.StartNew();
                var dump = Path.Combine(Path.GetTempPath(), $"kubedns-scale-{server.Id}.dmp");
                result.Heap = HeapBreakdown.Analyze(server.Id, dump, options.KeepDump, Domain);
                result.HeapAnalysisSeconds = analysis.Elapsed.TotalSeconds;
                if (options.KeepDump)
                {
                    Console.WriteLine($"Dump kept: {dump}");
                }
            }

            result.Synced = server.Synced;
            releases = server.MemoryReleases;
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the server exited during the run. {server.Errors()}");
            }
        }

        result.TotalSeconds = total.Elapsed.TotalSeconds;
        result.LoadAtEnd = ScaleResult.LoadAverage();
        ScaleReport.Write(Console.Out, result);
        ScaleReport.WriteMemoryReleases(Console.Out, releases);
        return result.Checks.Any(c => c.StartsWith("FAIL", StringComparison.Ordinal)) || result.RelistWrongAnswers > 0 ? 1 : 0;
    }

    /// <summary>
    /// Memory once the server has settled, then a forced full GC, its live heap, and memory after it. A Native
    /// AOT program has no diagnostics port to force a collection through: no heap, and "after GC" is the idle reading.
    /// </summary>
    private static async Task<(ProcMemory Idle, HeapAfterGc? Heap, ProcMemory AfterGc)> MeasureIdleAsync(ServerProcess server, string when)
    {
        await Task.Delay(Settle);
        var idle = ProcMemory.Read(server.Id);
        HeapAfterGc heap;
        try
        {
            heap = await GcProbe.ForceFullCollectionAsync(server.Id, TimeSpan.FromSeconds(60));
        }
        catch (Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{when}: RSS {idle.RssMiB:F0} MiB (no diagnostics port, a Native AOT program: no forced GC)"));
            return (idle, null, idle);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var afterGc = ProcMemory.Read(server.Id);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{when}: live heap {heap.SurvivedMiB:F0} MiB, RSS {afterGc.RssMiB:F0} MiB"));
        return (idle, heap, afterGc);
    }

    private static async Task WaitReadyAsync(ServerProcess server, DnsProbe probe, ClusterLayout layout, ScaleResult result)
    {
        var unknown = UnknownName(layout);
        while (true)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the server exited before it was ready. {server.Errors()}");
            }

            var answer = probe.QueryA(unknown);
            var elapsed = Stopwatch.GetElapsedTime(server.StartedAt);
            if (answer is not null && result.FirstAnswerMs == 0)
            {
                result.FirstAnswerMs = elapsed.TotalMilliseconds;
            }

            if (answer?.RCode == DnsProbe.NxDomain)
            {
                result.ReadyMs = elapsed.TotalMilliseconds;
                result.AtReady = ProcMemory.Read(server.Id);
                return;
            }

            if (answer is not null && answer.RCode != DnsProbe.ServFail)
            {
                throw new InvalidOperationException($"{unknown}: rcode {answer.RCode} before ready (SERVFAIL expected)");
            }

            if (elapsed > ReadyLimit)
            {
                throw new TimeoutException($"the server was not ready within {ReadyLimit}. {server.Errors()}");
            }

            await Task.Delay(50);
        }
    }

    public static string UnknownName(ClusterLayout layout) => $"no-such-service.{ClusterLayout.NamespaceName(0)}.svc.{Domain}";

    /// <summary>A few answers checked against the layout, so that the figures are those of a server that serves the cluster.</summary>
    private static void Check(DnsProbe probe, ClusterLayout layout, ScaleResult result)
    {
        var clusterIP = layout.FirstSmall(ServiceShapeKind.ClusterIP, 1);
        Expect(result, $"A {clusterIP.FullName(Domain)}", probe.QueryA(clusterIP.FullName(Domain)),
            a => a.RCode == 0 && a.Addresses.SequenceEqual([ClusterLayout.ClusterIP(clusterIP.Index)]));

        var headless = layout.FirstSmall(ServiceShapeKind.Headless, 3);
        var endpoints = Enumerable.Range(headless.FirstEndpoint, headless.EndpointCount).Select(ClusterLayout.PodIP).ToHashSet();
        Expect(result, $"A {headless.FullName(Domain)} ({headless.EndpointCount} endpoints)", probe.QueryA(headless.FullName(Domain)),
            a => a.RCode == 0 && a.Addresses.Count == endpoints.Count && a.Addresses.All(endpoints.Contains));

        var firstEndpoint = ClusterLayout.PodIP(clusterIP.FirstEndpoint);
        Expect(result, $"PTR {ClusterLayout.Reverse(firstEndpoint)}", probe.QueryPtr(ClusterLayout.Reverse(firstEndpoint)),
            a => a.RCode == 0 && a.Pointers.Contains($"{ClusterLayout.Dashed(firstEndpoint)}.{clusterIP.FullName(Domain)}"));

        var pod = layout.Options.Pods - 1;
        var podIP = ClusterLayout.PodIP(pod);
        var podName = $"{ClusterLayout.Dashed(podIP)}.{layout.PodNamespace(pod, layout.OwnerOf(pod))}.pod.{Domain}";
        Expect(result, $"A {podName} (pods verified)", probe.QueryA(podName), a => a.RCode == 0 && a.Addresses.SequenceEqual([podIP]));
        var noPod = $"10-127-0-1.{ClusterLayout.NamespaceName(0)}.pod.{Domain}";
        Expect(result, $"A {noPod} (no such pod)", probe.QueryA(noPod), a => a.RCode == DnsProbe.NxDomain);
    }

    /// <summary>Each informer's "synced N objects" line against the cluster's object counts.</summary>
    private static async Task CheckSyncedAsync(ServerProcess server, ClusterLayout layout, ScaleResult result)
    {
        // The log lines are written by the console logger's own thread: give them a moment to arrive.
        for (var wait = 0; wait < 40 && server.Synced.Count < 4; wait++)
        {
            await Task.Delay(50);
        }

        var expected = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["kubernetes/namespaces"] = layout.Options.Namespaces,
            ["kubernetes/services"] = layout.Services.Count,
            ["kubernetes/endpointslices.discovery.k8s.io"] = layout.SliceCount,
            ["kubernetes/pods"] = layout.Options.Pods,
        };
        var synced = server.Synced;
        foreach (var (source, count) in expected)
        {
            var line = synced.TryGetValue(source, out var seen) ? seen.Line : "(no synced line)";
            var ok = line.Contains(string.Create(CultureInfo.InvariantCulture, $": synced {count} objects"), StringComparison.Ordinal);
            result.Checks.Add($"{(ok ? "ok" : "FAIL")}: {source} synced {count:N0} objects: {line[(line.IndexOf(source, StringComparison.Ordinal) is var at and >= 0 ? at : 0)..]}");
        }
    }

    private static void Expect(ScaleResult result, string what, DnsAnswer? answer, Func<DnsAnswer, bool> good)
    {
        var ok = answer is not null && good(answer);
        var detail = answer is null ? "no answer" : $"rcode {answer.RCode}, {answer.AnswerCount} answers";
        result.Checks.Add($"{(ok ? "ok" : "FAIL")}: {what}: {detail}");
    }
}
