using KubeDns.Tests.Support;

namespace KubeDns.Tests.Robustness;

/// <summary>
/// Well-formed queries for every answer shape of <see cref="HostileCluster"/>, each without EDNS, with
/// EDNS (several sizes, the DO bit, a padding option, version 1), and in class CHAOS. Mutations start here,
/// so the fuzzed bytes stay close enough to valid to reach the resolver's deeper paths.
/// </summary>
internal static class SeedQueries
{
    private static readonly (string Name, ushort Type)[] Questions =
    [
        ("web.default.svc.cluster.local", 1),
        ("WEB.Default.SVC.cluster.LOCAL", 28),
        ("web.default.svc.cluster.local", 33),
        ("web.default.svc.cluster.local", 255),
        ("_http._tcp.web.default.svc.cluster.local", 33),
        ("_tcp.web.default.svc.cluster.local", 33),
        ("api.default.svc.cluster.local", 28),
        ("db.data.svc.cluster.local", 1),
        ("_postgres._tcp.db.data.svc.cluster.local", 33),
        ("db-0.db.data.svc.cluster.local", 1),
        ("big.default.svc.cluster.local", 1),
        ("big.default.svc.cluster.local", 33),
        ("dual.default.svc.cluster.local", 255),
        ("search.default.svc.cluster.local", 1),
        ("web-alias.default.svc.cluster.local", 1),
        ("dangling.default.svc.cluster.local", 28),
        ("loop-a.default.svc.cluster.local", 1),
        ("10-244-1-10.default.pod.cluster.local", 1),
        ("fd00--1.default.pod.cluster.local", 28),
        ("20.0.96.10.in-addr.arpa", 12),
        ("0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.0.d.f.ip6.arpa", 12),
        ("cluster.local", 6),
        ("cluster.local", 2),
        ("dns-version.cluster.local", 16),
        ("web.default.svc.cluster.local.default.svc.cluster.local", 1),
        ("example.com", 1),
        (".", 2),
        ("web.default.svc.cluster.local", 252),
    ];

    public static IReadOnlyList<byte[]> All { get; } = Build();

    private static byte[][] Build()
    {
        var queries = new List<byte[]>();
        ushort id = 0x0101;
        foreach (var (name, type) in Questions)
        {
            queries.Add(QueryBytes.Build(name, type, id++));
            queries.Add(QueryBytes.Build(name, type, id++, ednsSize: 1232));
            queries.Add(QueryBytes.Build(name, type, id++, ednsSize: 4096, dnssecOk: true));
            queries.Add(QueryBytes.Build(name, type, id++, ednsSize: 100, ednsPadding: 468));
            queries.Add(QueryBytes.Build(name, type, id++, ednsSize: 1232, ednsVersion: 1));
            queries.Add(QueryBytes.Build(name, type, id++, recursionDesired: false, qclass: 3));
        }

        return [.. queries];
    }
}
