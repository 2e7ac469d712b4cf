using System.Globalization;
using System.Text;

namespace KubeDns.LoadBenchmark;

/// <summary>
/// The generated cluster, twice: as manifests for KubeDns (Namespaces and ClusterIP Services) and as the
/// equivalent <c>cluster.local</c> zone file for Knot (the same A records, SOA with the same negative TTL),
/// so both servers answer the same questions the same way (hit, NODATA, NXDOMAIN).
/// </summary>
internal static class ClusterFiles
{
    public static string Namespace(int index) => $"ns-{index:D3}";

    public static string Service(int index) => $"svc-{index:D5}";

    /// <summary>Namespace of service <paramref name="index"/>.</summary>
    public static int NamespaceOf(int index, LoadOptions options) => index % options.Namespaces;

    public static string Address(int index) => $"10.96.{(index / 250) + 1}.{(index % 250) + 1}";

    public static void WriteManifests(string folder, LoadOptions options)
    {
        Directory.CreateDirectory(folder);
        var builder = new StringBuilder();
        for (var n = 0; n < options.Namespaces; n++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Namespace(n)}\n---\n");
        }

        for (var i = 0; i < options.Services; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: v1
                kind: Service
                metadata:
                  name: {Service(i)}
                  namespace: {Namespace(NamespaceOf(i, options))}
                spec:
                  clusterIP: {Address(i)}
                  ports:
                    - port: 80
                ---

                """);
        }

        File.WriteAllText(Path.Combine(folder, "cluster.yaml"), builder.ToString());
    }

    /// <summary>Names outside the cluster for the forwarded round: <c>host-N.example.org</c>, served by Knot.</summary>
    public const int ExternalHosts = 1000;

    public static void WriteExternalZone(string path)
    {
        var builder = new StringBuilder("""
            $ORIGIN example.org.
            $TTL 300
            @ IN SOA ns.example.org. hostmaster.example.org. 1 7200 1800 86400 60
            @ IN NS ns.example.org.
            ns IN A 192.0.2.1

            """);
        for (var i = 0; i < ExternalHosts; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"host-{i} IN A 192.0.2.{(i % 250) + 2}\n");
        }

        File.WriteAllText(path, builder.ToString());
    }

    /// <summary>The zone Knot serves: what KubeDns answers for the same cluster, TTL 5 and SOA minimum 5 as ours.</summary>
    public static void WriteZone(string path, LoadOptions options)
    {
        var builder = new StringBuilder("""
            $ORIGIN cluster.local.
            $TTL 5
            @ IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5
            @ IN NS ns.dns.cluster.local.
            ns.dns IN A 10.96.0.10

            """);
        for (var i = 0; i < options.Services; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{Service(i)}.{Namespace(NamespaceOf(i, options))}.svc IN A {Address(i)}\n");
        }

        File.WriteAllText(path, builder.ToString());
    }
}
