using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using KubeDns.Protocol;

namespace KubeDns.Hosting;

/// <summary>
/// The server's flags as System.CommandLine options: names, help text, defaults and value parsers. Values are
/// validated here, so a parse error belongs to its flag. Built per parse (cheap) so parsing shares no state.
/// </summary>
internal sealed class ServerFlags
{
    private const int MaxTtl = 86_400;
    private const int MaxUdpSockets = 64;
    private const int MaxIdleTimeout = 3_600;
    private const int MaxConnections = 1_000_000;
    private const int MaxLameDuck = 300;

    public ServerFlags()
    {
        Command = new RootCommand("KubeDns: the DNS server for Kubernetes service discovery (a CoreDNS replacement). It serves the cluster zone over UDP and TCP.")
        {
            Manifests, Kubeconfig, Context, Namespaces, Labels, StartupTimeout,
            Listen, ClusterDomain, Ttl, Pods, EndpointPodNames, MaxUdpSize, UdpSockets, TcpIdleTimeout, MaxTcpConnections,
            Autopath, Upstream, UpstreamTimeout, MaxConcurrent, CacheTtl, CacheSize, ServeStale, Prefetch,
            HealthListen, ReadyListen, MetricsListen, LameDuck, LogQueries, LogFormat, Config,
        };
    }

    public RootCommand Command { get; }

    public Option<string[]> Manifests { get; } = new("--manifests")
    {
        Description = "Manifest file or folder (YAML, read recursively) holding Services, EndpointSlices, Pods and Namespaces. Repeatable; combines with --kubeconfig.",
        HelpName = "PATH",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = static result => ParseEach(result, static (string text, [NotNullWhen(true)] out string? value) =>
        {
            value = text;
            return text.Length > 0;
        }, "is not a path"),
    };

    public Option<string> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Read Services, EndpointSlices and Namespaces (and Pods with --pods verified) from the API server this kubeconfig names. In a pod, the service account is used without this flag (unless only --manifests is given).",
        HelpName = "PATH",
        CustomParser = static result => ParseOne<string>(result, static (string text, [NotNullWhen(true)] out string? value) =>
        {
            value = text;
            return text.Length > 0;
        }, "is not a path"),
    };

    public Option<string> Context { get; } = new("--context")
    {
        Description = "The kubeconfig context to use (default: its current context).",
        HelpName = "NAME",
    };

    public Option<string[]> Namespaces { get; } = new("--namespaces")
    {
        Description = "Serve only these namespaces, comma-separated (CoreDNS's namespaces option). Default: all.",
        HelpName = "NS[,NS...]",
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = static result => ParseOne<string[]>(result, OptionValues.TryParseNamespaces, "is not a comma-separated list of namespace names"),
    };

    public Option<string> Labels { get; } = new("--labels")
    {
        Description = "Serve only Services matching this label selector, e.g. 'app=web,tier!=test' (CoreDNS's labels option).",
        HelpName = "SELECTOR",
        CustomParser = static result => ParseOne<string>(result, OptionValues.TryParseLabelSelector, "is not a label selector"),
    };

    public Option<int> StartupTimeout { get; } = new("--startup-timeout")
    {
        Description = "Seconds start-up waits for the API's first full list of every kind before serving anyway; until every kind has synced, unknown names get SERVFAIL, not NXDOMAIN (0 to 600).",
        HelpName = "SECONDS",
        DefaultValueFactory = static _ => 5,
        CustomParser = static result => ParseInt(result, 0, 600),
    };

    public Option<IPEndPoint[]> Listen { get; } = new("--listen")
    {
        Description = "Address to serve DNS on over UDP and TCP, e.g. 127.0.0.1:5353 or [::1]:5353 (port 0: any free port). Repeatable.",
        HelpName = "ADDR:PORT",
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = static _ => [new IPEndPoint(IPAddress.Any, 53)],
        CustomParser = static result => ParseEach<IPEndPoint>(result, OptionValues.TryParseEndPoint, "is not ADDR:PORT"),
    };

    public Option<string> ClusterDomain { get; } = new("--cluster-domain")
    {
        Description = "The cluster's DNS domain (the kubelet's clusterDomain).",
        HelpName = "NAME",
        DefaultValueFactory = static _ => "cluster.local",
        CustomParser = static result => ParseOne<string>(result, OptionValues.TryNormaliseDomain, "is not a DNS name"),
    };

    public Option<int> Ttl { get; } = new("--ttl")
    {
        Description = $"TTL in seconds of cluster answers (0 to {MaxTtl}).",
        HelpName = "SECONDS",
        DefaultValueFactory = static _ => 5,
        CustomParser = static result => ParseInt(result, 0, MaxTtl),
    };

    public Option<string> Pods { get; } = new("--pods")
    {
        Description = "How a-b-c-d.NAMESPACE.pod names are answered: disabled (NXDOMAIN), insecure (any such name), verified (only IPs of existing pods in that namespace).",
        HelpName = "disabled|insecure|verified",
        DefaultValueFactory = static _ => "insecure",
        CustomParser = static result => ParseOne<string>(result, TryParsePodsMode, "is not disabled, insecure or verified"),
    };

    public Option<bool> EndpointPodNames { get; } = new("--endpoint-pod-names")
    {
        Description = "Name a headless service's endpoints after their pod instead of the dashed IP.",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = static result => result.Tokens.Count == 0 || ParseOne<bool>(result, bool.TryParse, "is not true or false"),
    };

    public Option<int> MaxUdpSize { get; } = new("--max-udp-size")
    {
        Description = $"Largest UDP response in bytes, whatever the client's EDNS size ({DnsLimits.ClassicUdpSize} to {DnsLimits.MaxUdpPayload}).",
        HelpName = "BYTES",
        DefaultValueFactory = static _ => DnsLimits.DefaultMaxUdpSize,
        CustomParser = static result => ParseInt(result, DnsLimits.ClassicUdpSize, DnsLimits.MaxUdpPayload),
    };

    public Option<int> UdpSockets { get; } = new("--udp-sockets")
    {
        Description = $"UDP sockets (receive loops) per listen address, sharing the port through SO_REUSEPORT (1 to {MaxUdpSockets}; default: processor count).",
        HelpName = "COUNT",
        DefaultValueFactory = static _ => Math.Clamp(Environment.ProcessorCount, 1, MaxUdpSockets),
        CustomParser = static result => ParseInt(result, 1, MaxUdpSockets),
    };

    public Option<int> TcpIdleTimeout { get; } = new("--tcp-idle-timeout")
    {
        Description = $"Seconds a TCP connection may take to send its next whole query before it is closed (1 to {MaxIdleTimeout}).",
        HelpName = "SECONDS",
        DefaultValueFactory = static _ => 10,
        CustomParser = static result => ParseInt(result, 1, MaxIdleTimeout),
    };

    public Option<int> MaxTcpConnections { get; } = new("--max-tcp-connections")
    {
        Description = $"Most TCP connections open at once per listen address; more are closed on accept (1 to {MaxConnections}).",
        HelpName = "COUNT",
        DefaultValueFactory = static _ => 1000,
        CustomParser = static result => ParseInt(result, 1, MaxConnections),
    };

    public Option<bool> Autopath { get; } = new("--autopath")
    {
        Description = "Walk a pod's search path on the server (CoreDNS's autopath): the first try NAME.<ns>.svc.<zone> is answered with a CNAME to the first name that exists. Needs Pods (watched, or in the manifests) to know each client's namespace.",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = static result => result.Tokens.Count == 0 || ParseOne<bool>(result, bool.TryParse, "is not true or false"),
    };

    public Option<string[]> Upstream { get; } = new("--upstream")
    {
        Description = "Where names outside the cluster (and reverse names of unknown addresses) are forwarded: ADDR or ADDR:PORT, IPv6 as [ADDR]:PORT. Repeatable, tried in order. Default: the nameservers of /etc/resolv.conf. 'none': no forwarding (REFUSED).",
        HelpName = "ADDR[:PORT]|none",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = static result =>
        {
            if (result.Tokens is [{ Value: "none" }])
            {
                return ["none"];
            }

            return ParseEach(result, static (string text, [NotNullWhen(true)] out string? value) =>
            {
                value = OptionValues.TryParseUpstream(text, out _) ? text : null;
                return value is not null;
            }, "is not ADDR, ADDR:PORT or [IPv6]:PORT ('none' alone turns forwarding off)");
        },
    };

    public Option<int> UpstreamTimeout { get; } = new("--upstream-timeout")
    {
        Description = "Milliseconds an upstream has to answer before the next one is tried (50 to 30000).",
        HelpName = "MS",
        DefaultValueFactory = static _ => 2000,
        CustomParser = static result => ParseInt(result, 50, 30_000),
    };

    public Option<int> MaxConcurrent { get; } = new("--max-concurrent")
    {
        Description = "Most forwarded queries in flight; more get REFUSED at once instead of queueing (1 to 60000).",
        HelpName = "COUNT",
        DefaultValueFactory = static _ => 1000,
        CustomParser = static result => ParseInt(result, 1, 60_000),
    };

    public Option<int> CacheTtl { get; } = new("--cache-ttl")
    {
        Description = $"Cap in seconds on how long upstream answers are cached, positive and negative (CoreDNS's cache 30); 0 turns the cache off (0 to {MaxTtl}).",
        HelpName = "SECONDS",
        DefaultValueFactory = static _ => 30,
        CustomParser = static result => ParseInt(result, 0, MaxTtl),
    };

    public Option<int> CacheSize { get; } = new("--cache-size")
    {
        Description = "Most cached upstream answers (each at most 4 KiB); the oldest go first (1 to 10000000).",
        HelpName = "COUNT",
        DefaultValueFactory = static _ => 10_000,
        CustomParser = static result => ParseInt(result, 1, 10_000_000),
    };

    public Option<int> ServeStale { get; } = new("--serve-stale")
    {
        Description = $"Seconds past expiry a cached answer may still be served (TTL 30) when every upstream is down, RFC 8767; 0 never (0 to {MaxTtl}).",
        HelpName = "SECONDS",
        DefaultValueFactory = static _ => 3600,
        CustomParser = static result => ParseInt(result, 0, MaxTtl),
    };

    public Option<bool> Prefetch { get; } = new("--prefetch")
    {
        Description = "Refresh a cached answer asked for at least twice when it enters the last tenth of its TTL (the last second at least), so popular names never expire (CoreDNS's prefetch).",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = static result => result.Tokens.Count == 0 || ParseOne<bool>(result, bool.TryParse, "is not true or false"),
    };

    public Option<string> HealthListen { get; } = HttpEndPoint("--health-listen", "/health (liveness: 200 while the process serves)", ":8080");

    public Option<string> ReadyListen { get; } = HttpEndPoint("--ready-listen", "/ready (readiness: 200 once every source has synced, 503 with the reason before and during lame duck)", ":8181");

    public Option<string> MetricsListen { get; } = HttpEndPoint("--metrics-listen", "/metrics (Prometheus text, CoreDNS's metric names)", ":9153");

    public Option<int> LameDuck { get; } = new("--lameduck")
    {
        Description = $"Seconds to keep answering after SIGTERM while readiness fails, so the Service stops sending queries first (0 to {MaxLameDuck}).",
        HelpName = "SECONDS",
        DefaultValueFactory = static _ => 5,
        CustomParser = static result => ParseInt(result, 0, MaxLameDuck),
    };

    public Option<bool> LogQueries { get; } = new("--log-queries")
    {
        Description = "Log one line per query (name, type, transport, rcode, size, duration). Off by default.",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = static result => result.Tokens.Count == 0 || ParseOne<bool>(result, bool.TryParse, "is not true or false"),
    };

    public Option<string> LogFormat { get; } = new("--log-format")
    {
        Description = "Log lines as text (one line each) or json (one JSON object each, for log collectors).",
        HelpName = "text|json",
        DefaultValueFactory = static _ => "text",
        CustomParser = static result => ParseOne<string>(result, static (string text, [NotNullWhen(true)] out string? value) =>
        {
            value = text is "text" or "json" ? text : null;
            return value is not null;
        }, "is not text or json"),
    };

    public Option<string> Config { get; } = new("--config")
    {
        Description = "A YAML file of settings named like the flags without dashes (ttl: 30, listen: [\"0.0.0.0:53\"]), e.g. a mounted ConfigMap. Flags given on the command line win, then KUBEDNS_* environment variables (KUBEDNS_TTL=30), then the file.",
        HelpName = "PATH",
    };

    /// <summary>Kept as text (null cannot be an option's parsed value): <see cref="ToHttpEndPoint"/> converts it.</summary>
    private static Option<string> HttpEndPoint(string name, string what, string defaultValue) => new(name)
    {
        Description = $"Address of {what}: ADDR:PORT, :PORT for every interface, or off.",
        HelpName = "ADDR:PORT|off",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = static result => ParseOne<string>(result, static (string text, [NotNullWhen(true)] out string? value) =>
        {
            value = OptionValues.TryParseHttpEndPoint(text, out _) ? text : null;
            return value is not null;
        }, "is not ADDR:PORT, :PORT or off"),
    };

    /// <summary>The endpoint named by a value that passed an HTTP endpoint option's parser; null for off.</summary>
    public static IPEndPoint? ToHttpEndPoint(string value) => OptionValues.TryParseHttpEndPoint(value, out var endPoint) ? endPoint : null;

    private delegate bool TryParseValue<T>(string text, [NotNullWhen(true)] out T? value);

    /// <summary>Parses without reading response files (<c>@file</c>), so parsing touches nothing outside.</summary>
    public ParseResult Parse(IReadOnlyList<string> args) => Command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    private static int ParseInt(ArgumentResult result, int min, int max)
        => ParseOne(result, (string text, out int value) => OptionValues.TryParseInt(text, min, max, out value), $"is not a whole number from {min} to {max}");

    private static T ParseOne<T>(ArgumentResult result, TryParseValue<T> parse, string problem)
    {
        string text = result.Tokens[0].Value;
        if (parse(text, out T? value))
        {
            return value;
        }

        result.AddError($"'{text}' {problem}");
        return default!;
    }

    private static T[] ParseEach<T>(ArgumentResult result, TryParseValue<T> parse, string problem)
    {
        var values = new T[result.Tokens.Count];
        for (int i = 0; i < values.Length; i++)
        {
            string text = result.Tokens[i].Value;
            if (!parse(text, out T? value))
            {
                result.AddError($"'{text}' {problem}");
                return [];
            }

            values[i] = value;
            if (Array.IndexOf(values, values[i], 0, i) >= 0)
            {
                result.AddError($"'{text}' is given twice");
                return [];
            }
        }

        return values;
    }

    /// <summary>The <see cref="PodsMode"/> named by a value that passed <see cref="Pods"/>' parser.</summary>
    public static PodsMode ToPodsMode(string value) => value switch
    {
        "disabled" => PodsMode.Disabled,
        "verified" => PodsMode.Verified,
        _ => PodsMode.Insecure,
    };

    // Kept as text so that help prints the default as it is typed ("insecure", not the enum's "Insecure").
    private static bool TryParsePodsMode(string text, [NotNullWhen(true)] out string? mode)
    {
        mode = text is "disabled" or "insecure" or "verified" ? text : null;
        return mode is not null;
    }
}
