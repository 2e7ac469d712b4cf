using System.Globalization;
using System.Text;

namespace KubeDns.LoadBenchmark;

/// <summary>
/// What pods behind the kubelet's ClusterFirst resolv.conf send (<c>ndots:5</c>, search
/// <c>NS.svc.cluster.local svc.cluster.local cluster.local</c>, A and AAAA in parallel as glibc does):
/// a lookup of a service in the pod's own namespace (<c>svc</c>) is one A hit and one AAAA NODATA; a lookup
/// in another namespace (<c>svc.other</c>) is first an A and an AAAA NXDOMAIN (<c>svc.other.NS.svc...</c>),
/// then the hit and the NODATA. With 40% of lookups in the pod's own namespace the file is about 37% hits,
/// 37% NODATA and 26% NXDOMAIN.
/// </summary>
internal static class QueryMix
{
    public const double SameNamespaceShare = 0.4;

    /// <summary>The forwarded round's queries: A for names outside the cluster, answered from KubeDns's cache once warm.</summary>
    public static void WriteExternal(string path, LoadOptions options)
    {
        var random = new Random(11);
        var builder = new StringBuilder();
        for (var i = 0; i < options.Queries; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"host-{random.Next(ClusterFiles.ExternalHosts)}.example.org A\n");
        }

        File.WriteAllText(path, builder.ToString());
    }

    public static (int Hits, int NoData, int NxDomain) Write(string path, LoadOptions options)
    {
        var random = new Random(7);
        var builder = new StringBuilder();
        var (hits, nodata, nxdomain) = (0, 0, 0);
        var lines = 0;
        while (lines < options.Queries)
        {
            var service = random.Next(options.Services);
            var serviceNs = ClusterFiles.Namespace(ClusterFiles.NamespaceOf(service, options));
            var name = $"{ClusterFiles.Service(service)}.{serviceNs}.svc.cluster.local";
            if (random.NextDouble() >= SameNamespaceShare)
            {
                var podNs = ClusterFiles.Namespace((ClusterFiles.NamespaceOf(service, options) + 1 + random.Next(options.Namespaces - 1)) % options.Namespaces);
                var firstTry = $"{ClusterFiles.Service(service)}.{serviceNs}.{podNs}.svc.cluster.local";
                builder.Append(CultureInfo.InvariantCulture, $"{firstTry} A\n{firstTry} AAAA\n");
                nxdomain += 2;
                lines += 2;
            }

            builder.Append(CultureInfo.InvariantCulture, $"{name} A\n{name} AAAA\n");
            hits++;
            nodata++;
            lines += 2;
        }

        File.WriteAllText(path, builder.ToString());
        return (hits, nodata, nxdomain);
    }
}
