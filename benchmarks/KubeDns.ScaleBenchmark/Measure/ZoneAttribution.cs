using System.Text;
using Microsoft.Diagnostics.Runtime;

namespace KubeDns.ScaleBenchmark.Measure;

/// <summary>
/// Charges the server's heap to its owners, in this order: the published zone snapshot (its name map, then
/// each node by the kind of name it is), the zone builder's contributions (by kind of name, then the
/// per-object containers), its contributors-by-name index (by kind of name), the builder's stripped objects,
/// and the informers' resourceVersion maps. Field names are those of src/KubeDns/Zone and
/// src/KubeDns.Cluster/Kubernetes; a renamed field shows up as an empty row.
/// </summary>
internal static class ZoneAttribution
{
    public const string ZoneStoreType = "KubeDns.Zone.ZoneStore";
    public const string ZoneBuilderType = "KubeDns.Zone.ZoneBuilder";
    public const string InformerType = "KubeDns.Cluster.Kubernetes.Informer";
    private const string ZoneNodeType = "KubeDns.Zone.ZoneNode";
    private const string NameContributionType = "KubeDns.Zone.NameContribution";
    private const string Snapshot = "zone snapshot (served)";
    private const string Contributions = "builder: contributions";
    private const string ByName = "builder: contributors by name";
    private const string State = "builder: cluster objects";
    private const string Informers = "informers";

    private static readonly string[] ContributorKinds = ["static", "namespace", "service", "pod"];

    public static void Charge(HeapCharging charging, ClrObject? store, ClrObject? builder, IReadOnlyList<ClrObject> informers, string domain)
    {
        if (store is { } zoneStore)
        {
            var snapshot = zoneStore.ReadObjectField("_current");
            foreach (var node in charging.Charge(Snapshot, "names map (persistent AVL nodes, hash buckets) and SOAs", snapshot, o => o.Type?.Name == ZoneNodeType))
            {
                charging.Charge(Snapshot, NameClass(node.ReadObjectField("<Name>k__BackingField"), domain), node);
            }
        }

        if (builder is { } zoneBuilder)
        {
            var byContributor = zoneBuilder.ReadObjectField("_byContributor");
            var sets = new List<(string Kind, ClrObject Set)>();
            foreach (var entry in HeapCharging.Entries(byContributor))
            {
                var kind = entry.Key.ReadField<int>("<Kind>k__BackingField");
                sets.Add((kind >= 0 && kind < ContributorKinds.Length ? ContributorKinds[kind] : "?", entry.Value));
            }

            foreach (var (_, set) in sets)
            {
                foreach (var entry in HeapCharging.Entries(set.ReadObjectField("<ByName>k__BackingField")))
                {
                    var name = entry.Key.ReadObjectField("<Bytes>k__BackingField");
                    var what = NameClass(name, domain);
                    charging.Charge(Contributions, what, name);
                    charging.Charge(Contributions, what, entry.Value, o => o.Type?.Name == NameContributionType);
                }
            }

            foreach (var (kind, set) in sets)
            {
                charging.Charge(Contributions, $"per-object sets of a {kind} (ContributionSet, its dictionary)", set);
            }

            charging.Charge(Contributions, "index by contributor (dictionary arrays)", byContributor);

            var byName = zoneBuilder.ReadObjectField("_byName");
            foreach (var entry in HeapCharging.Entries(byName))
            {
                var name = entry.Key.ReadObjectField("<Bytes>k__BackingField");
                var what = NameClass(name, domain);
                charging.Charge(ByName, what, name);
                charging.Charge(ByName, what, entry.Value);
            }

            charging.Charge(ByName, "index by name (dictionary arrays)", byName);
            charging.Charge(Snapshot, "names map builder, beyond the snapshot", zoneBuilder.ReadObjectField("_names"));
            charging.Charge(State, "services (ServiceInfo)", zoneBuilder.ReadObjectField("_services"));
            charging.Charge(State, "EndpointSlices (EndpointSliceInfo)", zoneBuilder.ReadObjectField("_slices"));
            charging.Charge(State, "slices by service", zoneBuilder.ReadObjectField("_slicesByService"));
            charging.Charge(State, "pods: keys and addresses", zoneBuilder.ReadObjectField("_pods"));
            charging.Charge(State, "pod address index (pods verified)", zoneBuilder.ReadObjectField("_podAddresses"));
            charging.Charge(State, "namespaces", zoneBuilder.ReadObjectField("_namespaceReferences"));
        }

        foreach (var informer in informers.OrderBy(SourceOf, StringComparer.Ordinal))
        {
            charging.Charge(Informers, $"{SourceOf(informer)}: resourceVersion per object", informer.ReadObjectField("_known"));
        }
    }

    public static string SourceOf(ClrObject informer) => informer.ReadObjectField("<SourceName>k__BackingField").AsString() ?? "?";

    /// <summary>What kind of zone name a lower-case wire name is.</summary>
    public static string NameClass(ClrObject name, string domain)
    {
        if (name.IsNull || name.Type?.IsArray != true)
        {
            return "other names";
        }

        var array = name.AsArray();
        var labels = Labels(array.ReadValues<byte>(0, array.Length) ?? []);
        var dotted = string.Join('.', labels);
        if (dotted.EndsWith(".in-addr.arpa", StringComparison.Ordinal) || dotted.EndsWith(".ip6.arpa", StringComparison.Ordinal))
        {
            return "PTR names";
        }

        var pod = ".pod." + domain;
        var svc = ".svc." + domain;
        var domainLabels = domain.Split('.').Length;
        if (dotted.EndsWith(pod, StringComparison.Ordinal) && labels.Count == domainLabels + 3)
        {
            return "pod names (a-b-c-d.ns.pod, pods verified)";
        }

        if (dotted.EndsWith(svc, StringComparison.Ordinal))
        {
            var below = labels.Count - domainLabels - 1;
            return below switch
            {
                2 => "service names (A, SRV)",
                3 when labels[0].StartsWith('_') => "service names (A, SRV)",
                3 => "endpoint names (a-b-c-d.svc.ns.svc)",
                4 => "service names (A, SRV)",
                _ => "other names",
            };
        }

        return "other names";
    }

    private static List<string> Labels(byte[] wire)
    {
        var labels = new List<string>();
        var position = 0;
        while (position < wire.Length && wire[position] is var length and > 0 && position + length < wire.Length)
        {
            labels.Add(Encoding.ASCII.GetString(wire, position + 1, length));
            position += length + 1;
        }

        return labels;
    }
}
