using KubeDns.Cluster.Model;
using KubeDns.ProxyRules.Model;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// The service ports of the previous sync, by service: a partial sync categorises the endpoints of the changed
/// services only (at 100,000 endpoints, doing them all was most of a one-service sync's time), as kube-proxy
/// updates its endpoints map by change. A full sync computes every service again. A service's ports depend on
/// nothing but the service and its slices (and the fixed settings), and any change to either marks it changed.
/// </summary>
internal sealed class ServicePortCache(RuleSettings settings)
{
    private Dictionary<ObjectKey, IReadOnlyList<ServicePort>> _byService = [];

    public IReadOnlyList<ServicePort> For(ClusterSnapshot snapshot, bool full)
    {
        var next = new Dictionary<ObjectKey, IReadOnlyList<ServicePort>>(snapshot.Services.Count);
        var ports = ServicePort.All(snapshot.Services, snapshot.Slices, settings, (service, slices) =>
        {
            var kept = !full && !snapshot.ChangedServices.Contains(service.Key) && _byService.TryGetValue(service.Key, out var before)
                ? before
                : ServicePort.From(service, slices, settings);
            next[service.Key] = kept;
            return kept;
        });
        _byService = next;
        return ports;
    }
}
