using System.Diagnostics;
using System.Globalization;
using KubeDns.ScaleBenchmark.Cluster;
using KubeDns.ScaleBenchmark.Measure;
using KubeDns.ScaleBenchmark.Processes;

namespace KubeDns.ScaleBenchmark.Run;

/// <summary>
/// End-to-end latency of one EndpointSlice change: from asking the fake API server to update the slice
/// (its first endpoint gets a new address) to the server answering the new endpoint's name
/// (<c>10-250-0-N.svc.ns.svc.cluster.local A</c>, which does not exist before). The path timed is the fake's
/// write and watch event, the client's read and parse, the strip, the zone update and the snapshot publish.
/// </summary>
internal static class SliceChanges
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMicroseconds(250);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Between = TimeSpan.FromMilliseconds(150);

    public static async Task<ChangeTimes> TimeAsync(FakeApiProcess fake, DnsProbe probe, ServiceShape service, int slice, int firstN, int count, string what, string domain)
    {
        var times = new List<double>(count);
        var fakeTimes = new List<double>(count);
        for (var k = 0; k < count; k++)
        {
            var ip = ClusterLayout.ChangedIP(firstN + k);
            var name = $"{ClusterLayout.Dashed(ip)}.{service.FullName(domain)}";
            if (probe.QueryA(name) is not { RCode: DnsProbe.NxDomain })
            {
                throw new InvalidOperationException($"{name} answers before the change");
            }

            var started = Stopwatch.GetTimestamp();
            var reply = fake.SendAsync(string.Create(CultureInfo.InvariantCulture, $"change {service.Index} {slice} {firstN + k}"));
            times.Add(PollUntilServed(probe, name, ip, started).TotalMilliseconds);
            var words = (await reply).Split(' ');
            fakeTimes.Add(double.Parse(words[2], CultureInfo.InvariantCulture) / 1000);
            await Task.Delay(Between);
        }

        await fake.SendAsync(string.Create(CultureInfo.InvariantCulture, $"restore {service.Index} {slice}"));
        var result = new ChangeTimes(what, times, fakeTimes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Slice change, {what}: median {result.Median:F2} ms over {count}"));
        return result;
    }

    /// <summary>Asks every 250 µs, yielding the CPU in between (three processes share two cores).</summary>
    private static TimeSpan PollUntilServed(DnsProbe probe, string name, System.Net.IPAddress ip, long started)
    {
        while (true)
        {
            var asked = Stopwatch.GetTimestamp();
            if (probe.QueryA(name) is { RCode: 0 } answer && answer.Addresses.Contains(ip))
            {
                return Stopwatch.GetElapsedTime(started);
            }

            if (Stopwatch.GetElapsedTime(started) > Limit)
            {
                throw new TimeoutException($"{name} was not served within {Limit.TotalSeconds} s of the change");
            }

            while (Stopwatch.GetElapsedTime(asked) < PollEvery)
            {
                Thread.Yield();
            }
        }
    }
}
