namespace KubeDns.Zone;

/// <summary>Merges the contributions at one name into its node's data array (<see cref="ZoneNode"/>).</summary>
internal static class NodeEncoder
{
    /// <summary>
    /// Groups records by TYPE, drops duplicates (one endpoint address in two slices, two services with one
    /// PTR target), and encodes each set, then the endpoint names. Order is stable: first contribution first.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<int> contributors, IEnumerable<NameContribution> contributions, int apexIndex)
    {
        var records = new Dictionary<ushort, List<ZoneRecord>>();
        var seenRecords = new HashSet<(ushort, byte[])>(RecordKeyComparer.Instance);
        var endpoints = new List<EndpointName>();
        var seenEndpoints = new HashSet<(WireName, WireName)>();
        byte[]? cnameTarget = null;
        ServicePortTable? ports = null;
        foreach (var contribution in contributions)
        {
            cnameTarget ??= contribution.CnameTarget;
            ports ??= contribution.Ports;
            foreach (var endpoint in contribution.Endpoints)
            {
                if (seenEndpoints.Add((new WireName(endpoint.Label), new WireName(endpoint.Address))))
                {
                    endpoints.Add(endpoint);
                }
            }

            foreach (var record in contribution.Records)
            {
                if (seenRecords.Add((record.Type, record.Data)))
                {
                    ListFor(records, record.Type).Add(record);
                }
            }
        }

        var sets = records.Select(pair => (pair.Key, (IReadOnlyList<ZoneRecord>)pair.Value)).ToList();
        return ZoneNode.Encode(contributors, cnameTarget, apexIndex, sets, ports, endpoints);
    }

    private sealed class RecordKeyComparer : IEqualityComparer<(ushort Type, byte[] Data)>
    {
        public static RecordKeyComparer Instance { get; } = new();

        public bool Equals((ushort Type, byte[] Data) x, (ushort Type, byte[] Data) y) =>
            x.Type == y.Type && ByteContentComparer.Instance.Equals(x.Data, y.Data);

        public int GetHashCode((ushort Type, byte[] Data) obj) => HashCode.Combine(obj.Type, ByteContentComparer.Instance.GetHashCode(obj.Data));
    }

    private static List<T> ListFor<T>(Dictionary<ushort, List<T>> map, ushort type)
    {
        if (!map.TryGetValue(type, out var list))
        {
            list = [];
            map.Add(type, list);
        }

        return list;
    }
}
