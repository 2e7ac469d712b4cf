using System.Diagnostics;
using System.Globalization;
using KubeDns.ScaleBenchmark.Cluster;
using KubeDns.ScaleBenchmark.Measure;
using KubeDns.ScaleBenchmark.Processes;

namespace KubeDns.ScaleBenchmark.Run;

/// <summary>
/// A forced relist of every kind: the fake API server compacts its history and sends 410 Expired to the open
/// watches (as etcd compaction does), so each informer lists everything again. It is done when every kind
/// has made new list requests and started a new watch after them. The peak RSS is reset first, so the peak
/// read afterwards is the relist's own; the served answers are checked all along (the zone must never empty).
/// </summary>
internal static class Relist
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(FakeApiProcess fake, ServerProcess server, DnsProbe probe, ClusterLayout layout, ScaleResult result, string domain)
    {
        var known = layout.FirstSmall(ServiceShapeKind.ClusterIP, 1);
        var knownIP = ClusterLayout.ClusterIP(known.Index);
        var unknown = ScaleRun.UnknownName(layout);
        var before = await fake.StatsAsync();
        result.StatsBeforeRelist = before;
        result.PeakReset = ProcMemory.TryResetPeak(server.Id);

        var cpu = ProcCpu.Read(server.Id);
        var started = Stopwatch.GetTimestamp();
        await fake.SendAsync("relist");
        Console.WriteLine("Relist forced (410 Expired to every watch); waiting for every kind to list and watch again...");
        while (true)
        {
            await Task.Delay(100);
            result.RelistProbes++;
            if (probe.QueryA(known.FullName(domain)) is not { RCode: 0 } hit || !hit.Addresses.Contains(knownIP))
            {
                result.RelistWrongAnswers++;
            }

            if (probe.QueryA(unknown) is not { RCode: DnsProbe.NxDomain })
            {
                result.RelistWrongAnswers++;
            }

            var now = await fake.StatsAsync();
            if (Enumerable.Range(0, now.Lists.Length).All(k => now.Lists[k] > before.Lists[k] && now.Watches[k] > before.Watches[k]))
            {
                result.RelistMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                result.ServerCpuRelist = ProcCpu.Read(server.Id) - cpu;
                result.StatsAfterRelist = now;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Relisted in {result.RelistMs / 1000:F1} s"));
                return;
            }

            if (Stopwatch.GetElapsedTime(started) > Limit)
            {
                throw new TimeoutException($"the relist did not finish within {Limit.TotalMinutes} min. {server.Errors()}");
            }
        }
    }
}
