using System.Text;
using Microsoft.Diagnostics.Runtime;

namespace KubeDns.ScaleBenchmark.Measure;

/// <summary>
/// Charges the server's heap to its owners, in this order: the published zone snapshot (its pod and endpoint
/// address indexes, its name trie's nodes, then each name and node data array by the kind of name it is), the zone builder's
/// name indexes (names per contributor, the contributor ids; no records are kept there), the builder's stripped objects,
/// the informers' resourceVersion maps, and the manifest source's maps. Field names are those of src/KubeDns/Zone and
/// src/KubeDns.Cluster/Kubernetes; a renamed field shows up as an empty row.
/// </summary>
internal static class ZoneAttribution
{
    public const string ZoneStoreType = "KubeDns.Zone.ZoneStore";
    public const string ZoneBuilderType = "KubeDns.Zone.ZoneBuilder";
    public const string InformerType = "KubeDns.Cluster.Kubernetes.Informer";
    public const string ManifestSourceType = "KubeDns.Cluster.Manifests.ManifestSource";
    private const string TrieNodeType = "KubeDns.Zone.Trie.TrieNode";
    private const string Snapshot = "zone snapshot (served)";
    private const string ByName = "builder: name indexes";
    private const string State = "builder: cluster objects";
    private const string Informers = "informers";
    private const string Manifests = "manifest source";
    private const string NamesMap = "names map (trie nodes and their entry arrays) and SOAs";

    public static void Charge(HeapCharging charging, ClrObject? store, ClrObject? builder, IReadOnlyList<ClrObject> informers, ClrObject? manifests, string domain)
    {
        if (store is { } zoneStore)
        {
            var snapshot = zoneStore.ReadObjectField("_current");
            charging.Charge(Snapshot, "pod address index (pods verified)", snapshot.ReadObjectField("<PodAddresses>k__BackingField"));
            charging.Charge(Snapshot, "endpoint address index (endpoint PTRs)", snapshot.ReadObjectField("<EndpointAddresses>k__BackingField"));
            foreach (var root in charging.Charge(Snapshot, NamesMap, snapshot, IsTrieNode))
            {
                ChargeTrie(charging, root, domain);
            }
        }

        if (builder is { } zoneBuilder)
        {
            // Name bytes are shared with the snapshot's trie (charged there first); what is left is the indexes.
            charging.Charge(ByName, "names per contributor (arrays of shared name references)", zoneBuilder.ReadObjectField("_namesOf"));
            charging.Charge(ByName, "contributor ids", zoneBuilder.ReadObjectField("_contributors"));
            charging.Charge(Snapshot, "names map builder, beyond the snapshot", zoneBuilder.ReadObjectField("_names"));
            charging.Charge(State, "services (ServiceInfo)", zoneBuilder.ReadObjectField("_services"));
            charging.Charge(State, "EndpointSlices (EndpointSliceInfo)", zoneBuilder.ReadObjectField("_slices"));
            charging.Charge(State, "slices by service", zoneBuilder.ReadObjectField("_slicesByService"));
            charging.Charge(State, "pods: keys and addresses", zoneBuilder.ReadObjectField("_pods"));
            charging.Charge(State, "pod address index (pods verified)", zoneBuilder.ReadObjectField("_podAddresses"));
            charging.Charge(State, "endpoint address index builder, beyond the snapshot", zoneBuilder.ReadObjectField("_endpointAddresses"));
            charging.Charge(State, "namespaces", zoneBuilder.ReadObjectField("_namespaceReferences"));
        }

        foreach (var informer in informers.OrderBy(SourceOf, StringComparer.Ordinal))
        {
            charging.Charge(Informers, $"{SourceOf(informer)}: resourceVersion per object", informer.ReadObjectField("_known"));
        }

        if (manifests is { } source)
        {
            // The objects themselves are the builder's (charged there first); what is left is the source's maps.
            charging.Charge(Manifests, "objects delivered (by key)", source.ReadObjectField("_delivered"));
            charging.Charge(Manifests, "catalog: each file's objects", source.ReadObjectField("_catalog"));
            charging.Charge(Manifests, "the rest of the source (watcher, duplicates)", source);
        }
    }

    /// <summary>
    /// A trie node and what hangs from it: the node and its three arrays to the map, each entry's name and
    /// data arrays to the kind of name it is (two arrays per name).
    /// </summary>
    private static void ChargeTrie(HeapCharging charging, ClrObject node, string domain)
    {
        if (!charging.ChargeShallow(Snapshot, NamesMap, node))
        {
            return;
        }

        var keys = node.ReadObjectField("<Keys>k__BackingField");
        var values = node.ReadObjectField("<Values>k__BackingField");
        var children = node.ReadObjectField("<Children>k__BackingField");
        charging.ChargeShallow(Snapshot, NamesMap, keys);
        charging.ChargeShallow(Snapshot, NamesMap, values);
        charging.ChargeShallow(Snapshot, NamesMap, children);
        if (!keys.IsNull && !values.IsNull)
        {
            var keyArray = keys.AsArray();
            var valueArray = values.AsArray();
            for (var i = 0; i < keyArray.Length; i++)
            {
                var name = keyArray.GetObjectValue(i);
                var kind = NameClass(name, domain);
                charging.ChargeShallow(Snapshot, kind, name);
                charging.ChargeShallow(Snapshot, kind, valueArray.GetObjectValue(i));
            }
        }

        if (!children.IsNull)
        {
            var childArray = children.AsArray();
            for (var i = 0; i < childArray.Length; i++)
            {
                ChargeTrie(charging, childArray.GetObjectValue(i), domain);
            }
        }
    }

    private static bool IsTrieNode(ClrObject obj) => obj.Type?.Name?.StartsWith(TrieNodeType, StringComparison.Ordinal) == true;

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
                3 => "endpoint names (none since issue 14: in the service's node)",
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
