using System.Net;

namespace KubeDns.Hosting;

/// <summary>The server's settings, parsed and validated from the command line at start-up.</summary>
public sealed record ServerOptions
{
    /// <summary>Manifest files or folders (read recursively) that hold the cluster state.</summary>
    public IReadOnlyList<string> Manifests { get; init; } = [];

    /// <summary>A kubeconfig file to reach the API server with; null for none.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context to use; null for its current context.</summary>
    public string? KubeContext { get; init; }

    /// <summary>Read the Kubernetes API (a kubeconfig was given, or the server runs in a pod without --manifests).</summary>
    public bool UseApi { get; init; }

    /// <summary>Serve only these namespaces (CoreDNS's <c>namespaces</c>); null for all.</summary>
    public IReadOnlySet<string>? Namespaces { get; init; }

    /// <summary>Serve only Services matching this label selector (CoreDNS's <c>labels</c>); null for all.</summary>
    public string? Labels { get; init; }

    /// <summary>How long start-up waits for the API's first full list of every kind before serving anyway.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Addresses to serve DNS on, each over UDP and TCP.</summary>
    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [new IPEndPoint(IPAddress.Any, 53)];

    /// <summary>The cluster domain, lower case, without a trailing dot.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>TTL in seconds of cluster answers.</summary>
    public uint Ttl { get; init; } = 5;

    public PodsMode Pods { get; init; } = PodsMode.Insecure;

    /// <summary>Name endpoints after their pod (CoreDNS's endpoint_pod_names) instead of the dashed IP.</summary>
    public bool EndpointPodNames { get; init; }

    /// <summary>Largest UDP response we send, whatever the client's EDNS size says.</summary>
    public int MaxUdpSize { get; init; } = 1232;

    /// <summary>UDP receive loops per listen address (sockets sharing the port through SO_REUSEPORT).</summary>
    public int UdpSockets { get; init; } = Environment.ProcessorCount;

    /// <summary>How long an idle TCP connection stays open.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most TCP connections open at once; more are closed on accept.</summary>
    public int MaxTcpConnections { get; init; } = 1000;

    // The HTTP endpoints and the lame-duck period default to off here, for servers embedded in tests; the
    // command line gives the production defaults (:8080, :8181, :9153, 5 s), as CoreDNS's plugins do.

    /// <summary>Where <c>/health</c> (liveness) is served; null for nowhere.</summary>
    public IPEndPoint? HealthListen { get; init; }

    /// <summary>Where <c>/ready</c> (readiness) is served; null for nowhere.</summary>
    public IPEndPoint? ReadyListen { get; init; }

    /// <summary>Where <c>/metrics</c> (Prometheus) is served; null for nowhere.</summary>
    public IPEndPoint? MetricsListen { get; init; }

    /// <summary>On SIGTERM, how long the server stays not-ready but answering before it stops accepting queries.</summary>
    public TimeSpan LameDuck { get; init; } = TimeSpan.Zero;

    /// <summary>Walk a pod's search path on the server (CoreDNS's autopath): one round trip for short and external names.</summary>
    public bool Autopath { get; init; }

    /// <summary>Where names outside the cluster are forwarded; none answers them REFUSED.</summary>
    public IReadOnlyList<IPEndPoint> Upstreams { get; init; } = [];

    /// <summary>Forward to the nameservers of /etc/resolv.conf, read at start (the command line's default).</summary>
    public bool UpstreamsFromResolvConf { get; init; }

    /// <summary>How long one upstream has to answer before the next is tried.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most forwarded queries in flight; beyond it queries get REFUSED at once (CoreDNS's max_concurrent).</summary>
    public int MaxConcurrent { get; init; } = 1000;

    /// <summary>Cap on the TTL of cached upstream answers; zero turns the cache off.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most cached answers.</summary>
    public int CacheSize { get; init; } = 10_000;

    /// <summary>Refresh popular cached answers shortly before they expire (CoreDNS's prefetch).</summary>
    public bool Prefetch { get; init; }

    /// <summary>How long past expiry a cached answer may be served when every upstream is down (RFC 8767).</summary>
    public TimeSpan ServeStale { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Log one line per query (off by default: a busy server answers tens of thousands per second).</summary>
    public bool LogQueries { get; init; }

    /// <summary>Log lines as JSON objects (for log collectors) instead of text.</summary>
    public bool JsonLogs { get; init; }
}

/// <summary>How <c>a-b-c-d.ns.pod.zone</c> names are answered (CoreDNS's <c>pods</c> option).</summary>
public enum PodsMode
{
    Disabled,
    Insecure,
    Verified,
}
