using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Model;
using KubeDns.ProxyRules.Sync;

namespace KubeDns.ProxyRules.Nftables;

/// <summary>kube-proxy's nftables mode (being written).</summary>
internal sealed class NftablesRules(RuleSettings settings) : IRuleWriter
{
    public RuleProgram Write(IReadOnlyList<ServicePort> ports, IReadOnlySet<ObjectKey>? changedServices, IReadOnlySet<string> existingChains) =>
        throw new NotSupportedException($"nftables mode for {settings.Family} is not written yet");
}
