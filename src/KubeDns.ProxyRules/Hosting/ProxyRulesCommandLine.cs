using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeDns.ProxyRules.Hosting;

/// <summary>Parses the rule generator's flags; every mistake is an <see cref="ArgumentException"/> naming the flag.</summary>
internal static class ProxyRulesCommandLine
{
    public const string Usage = """
        usage: kubedns-proxy-rules [--help] (--manifests PATH... | --kubeconfig FILE [--context NAME] | --in-cluster)
                                   [--mode iptables|nftables] [--iptables-layout auto|kube-proxy|compact] [--family ipv4|ipv6|dual]
                                   [--cluster-cidr CIDR]... [--node-ip IP]... [--node-name NAME] [--masquerade-all]
                                   [--apply] [--watch] [--min-sync-period DURATION] [--full-sync-period DURATION]
                                   [--sync-timeout DURATION]
        Prints kube-proxy's rules for the Services and EndpointSlices (iptables-restore input or an nft script);
        --apply loads them (iptables-restore --noflush / nft -f) and installs the jumps from the built-in chains;
        --watch keeps them in sync as the manifests or the cluster change.
        --sync-timeout (default 60s) is how long a run from the API waits for the first full list of every kind.
        --iptables-layout compact writes no per-endpoint chains (needs the kernel's xt_bpf); auto, the default, is
        compact when --apply loads into a kernel that takes its bpf match, kube-proxy's layout otherwise.
        """;

    public static ProxyRulesOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ProxyRulesOptions();
        var manifests = new List<string>();
        var cidrs = new List<string>();
        var nodeIPs = new List<IPAddress>();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{flag} needs a value");
            options = flag switch
            {
                "--manifests" => Add(options, manifests, Value()),
                "--kubeconfig" => options with { UseApi = true, Kubeconfig = Value() },
                "--context" => options with { KubeContext = Value() },
                "--in-cluster" => options with { UseApi = true },
                "--mode" => options with { Mode = ParseMode(Value()) },
                "--iptables-layout" => options with { IptablesLayout = ParseLayout(Value()) },
                "--family" => options with { Families = ParseFamily(Value()) },
                "--cluster-cidr" => Add(options, cidrs, ParseCidr(Value(), cidrs)),
                "--node-ip" => Add(options, nodeIPs, IPAddress.TryParse(Value(), out var ip) ? ip : throw new ArgumentException($"--node-ip: '{args[i]}' is not an IP address")),
                "--node-name" => options with { NodeName = Value() },
                "--masquerade-all" => options with { MasqueradeAll = true },
                "--apply" => options with { Apply = true },
                "--watch" => options with { Watch = true },
                "--min-sync-period" => options with { MinSyncGap = ParseDuration(flag, Value()) },
                "--full-sync-period" => options with { FullSyncPeriod = ParseDuration(flag, Value()) },
                "--sync-timeout" => options with { SyncTimeout = ParseDuration(flag, Value()) },
                _ => throw new ArgumentException($"unknown flag '{flag}'"),
            };
        }

        if (manifests.Count > 0 == options.UseApi)
        {
            throw new ArgumentException("choose one source: --manifests PATH, or --kubeconfig FILE / --in-cluster");
        }

        if (options.FullSyncPeriod < options.MinSyncGap)
        {
            throw new ArgumentException("--full-sync-period must not be shorter than --min-sync-period");
        }

        return options with { Manifests = manifests, ClusterCidrs = cidrs, NodeIPs = nodeIPs };
    }

    private static ProxyRulesOptions Add<T>(ProxyRulesOptions options, List<T> list, T value)
    {
        list.Add(value);
        return options;
    }

    private static RuleMode ParseMode(string value) => value switch
    {
        "iptables" => RuleMode.Iptables,
        "nftables" => RuleMode.Nftables,
        _ => throw new ArgumentException($"--mode: '{value}' is not iptables or nftables"),
    };

    private static Iptables.IptablesLayout? ParseLayout(string value) => value switch
    {
        "auto" => null,
        "kube-proxy" => Iptables.IptablesLayout.KubeProxy,
        "compact" => Iptables.IptablesLayout.Compact,
        _ => throw new ArgumentException($"--iptables-layout: '{value}' is not auto, kube-proxy or compact"),
    };

    private static IReadOnlyList<AddressFamily> ParseFamily(string value) => value switch
    {
        "ipv4" => [AddressFamily.InterNetwork],
        "ipv6" => [AddressFamily.InterNetworkV6],
        "dual" => [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6],
        _ => throw new ArgumentException($"--family: '{value}' is not ipv4, ipv6 or dual"),
    };

    /// <summary>A CIDR as kube-proxy takes it: host bits must be clear (<c>10.244.0.0/16</c>); one per IP family.</summary>
    private static string ParseCidr(string value, List<string> before)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (!IPNetwork.TryParse(value, out var network) || slash < 0 || !IPAddress.TryParse(value.AsSpan(0, slash), out var address) || !network.BaseAddress.Equals(address))
        {
            throw new ArgumentException($"--cluster-cidr: '{value}' is not a CIDR such as 10.244.0.0/16 (host bits must be zero)");
        }

        var v6 = network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        if (before.Any(cidr => cidr.Contains(':', StringComparison.Ordinal) == v6))
        {
            throw new ArgumentException($"--cluster-cidr: '{value}' is a second {(v6 ? "IPv6" : "IPv4")} CIDR; give one per IP family");
        }

        return network.ToString();
    }

    /// <summary>A duration: <c>500ms</c>, <c>2s</c>, <c>5m</c>, <c>1h</c>; at most <see cref="LongestPeriod"/>.</summary>
    private static TimeSpan ParseDuration(string flag, string value)
    {
        (string Suffix, double Scale)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, scale) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(value.AsSpan(0, value.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                && number > 0)
            {
                return number * scale <= LongestPeriod.TotalSeconds
                    ? TimeSpan.FromSeconds(number * scale)
                    : throw new ArgumentException($"{flag}: '{value}' is longer than {LongestPeriod.TotalHours:F0}h");
            }
        }

        throw new ArgumentException($"{flag}: '{value}' is not a duration such as 500ms, 2s, 5m or 1h");
    }

    /// <summary>A week: longer periods mean never (and the timers take no more than ~24 days).</summary>
    private static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(7);
}
