using System.Net.Sockets;
using KubeDns.Cluster.Manifests;
using KubeDns.ProxyRules.Iptables;
using Microsoft.Extensions.Logging.Abstractions;

// kubedns-proxy-rules --manifests PATH [--manifests PATH]... [--cluster-cidr CIDR] [--masquerade-all] [--ipv6]
// Prints kube-proxy's iptables-restore input for the Services and EndpointSlices the manifests describe.
var manifests = new List<string>();
string? clusterCidr = null;
var masqueradeAll = false;
var family = AddressFamily.InterNetwork;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--manifests" when i + 1 < args.Length:
            manifests.Add(args[++i]);
            break;
        case "--cluster-cidr" when i + 1 < args.Length:
            clusterCidr = args[++i];
            break;
        case "--masquerade-all":
            masqueradeAll = true;
            break;
        case "--ipv6":
            family = AddressFamily.InterNetworkV6;
            break;
        default:
            await Console.Error.WriteLineAsync($"kubedns-proxy-rules: unexpected '{args[i]}'; usage: --manifests PATH [--cluster-cidr CIDR] [--masquerade-all] [--ipv6]");
            return 2;
    }
}

if (manifests.Count == 0)
{
    await Console.Error.WriteLineAsync("kubedns-proxy-rules: pass --manifests PATH (a manifest file or folder)");
    return 2;
}

var state = ManifestState.Load(manifests, NullLogger.Instance);
foreach (var (path, error) in state.Errors)
{
    await Console.Error.WriteLineAsync($"kubedns-proxy-rules: {path}: {error} (skipped)");
}

Console.Out.Write(IptablesRules.Generate(state.Services, state.Slices, new IptablesSettings(family, clusterCidr, masqueradeAll)));
return 0;
