using KubeDns.Hosting;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>The fixed names and knobs the zone is built with, derived once from <see cref="ServerOptions"/>.</summary>
internal sealed class ZoneSettings
{
    public ZoneSettings(ServerOptions options)
    {
        ClusterDomain = options.ClusterDomain;
        Ttl = options.Ttl;
        Pods = options.Pods;
        EndpointPodNames = options.EndpointPodNames;
        PodIndex = options.Pods == PodsMode.Verified || options.Autopath;
        Cluster = new ZoneAuthority(0, DnsName.Encode(options.ClusterDomain));
        ReverseV4 = new ZoneAuthority(1, DnsName.Encode("in-addr.arpa"));
        ReverseV6 = new ZoneAuthority(2, DnsName.Encode("ip6.arpa"));
        Authorities = [Cluster, ReverseV4, ReverseV6];
        NameServer = Name("ns.dns");
        Hostmaster = Name("hostmaster");
    }

    public string ClusterDomain { get; }

    public uint Ttl { get; }

    public PodsMode Pods { get; }

    public bool EndpointPodNames { get; }

    /// <summary>Keep the pod-IP → namespace index: <c>pods verified</c> and autopath read it.</summary>
    public bool PodIndex { get; }

    public ZoneAuthority Cluster { get; }

    public ZoneAuthority ReverseV4 { get; }

    public ZoneAuthority ReverseV6 { get; }

    /// <summary>An array, not a list interface: the resolver loops over it per query and must not allocate an enumerator.</summary>
    public ZoneAuthority[] Authorities { get; }

    /// <summary><c>ns.dns.&lt;zone&gt;</c>: the SOA MNAME and NS target, as CoreDNS names them.</summary>
    public byte[] NameServer { get; }

    public byte[] Hostmaster { get; }

    /// <summary>TTL of <c>dns-version</c>, as CoreDNS serves it.</summary>
    public const uint DnsVersionTtl = 28800;

    /// <summary>A name relative to the cluster domain ("web.default.svc"), encoded; null when invalid.</summary>
    public byte[]? TryName(string relative) => DnsName.TryEncode(relative + "." + ClusterDomain);

    public byte[] Name(string relative) => DnsName.Encode(relative + "." + ClusterDomain);
}
