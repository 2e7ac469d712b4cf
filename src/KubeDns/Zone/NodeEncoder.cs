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
        var glue = new Dictionary<ushort, List<GlueRecord>>();
        var seenRecords = new HashSet<(ushort, byte[])>(RecordKeyComparer.Instance);
        var seenGlue = new HashSet<(ushort, byte[], ushort, byte[])>(GlueKeyComparer.Instance);
        var endpoints = new List<EndpointName>();
        var seenEndpoints = new HashSet<(WireName, WireName)>();
        byte[]? cnameTarget = null;
        foreach (var contribution in contributions)
        {
            cnameTarget ??= contribution.CnameTarget;
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

            foreach (var item in contribution.Glue)
            {
                if (seenGlue.Add((item.ForType, item.Owner, item.Type, item.Data)))
                {
                    ListFor(glue, item.ForType).Add(item);
                }
            }
        }

        var sets = records.Select(pair => (pair.Key, (IReadOnlyList<ZoneRecord>)pair.Value, (IReadOnlyList<GlueRecord>)(glue.TryGetValue(pair.Key, out var g) ? g : []))).ToList();
        return ZoneNode.Encode(contributors, cnameTarget, apexIndex, sets, endpoints);
    }

    private sealed class RecordKeyComparer : IEqualityComparer<(ushort Type, byte[] Data)>
    {
        public static RecordKeyComparer Instance { get; } = new();

        public bool Equals((ushort Type, byte[] Data) x, (ushort Type, byte[] Data) y) =>
            x.Type == y.Type && ByteContentComparer.Instance.Equals(x.Data, y.Data);

        public int GetHashCode((ushort Type, byte[] Data) obj) => HashCode.Combine(obj.Type, ByteContentComparer.Instance.GetHashCode(obj.Data));
    }

    private sealed class GlueKeyComparer : IEqualityComparer<(ushort ForType, byte[] Owner, ushort Type, byte[] Data)>
    {
        public static GlueKeyComparer Instance { get; } = new();

        public bool Equals((ushort ForType, byte[] Owner, ushort Type, byte[] Data) x, (ushort ForType, byte[] Owner, ushort Type, byte[] Data) y) =>
            x.ForType == y.ForType && x.Type == y.Type
            && ByteContentComparer.Instance.Equals(x.Owner, y.Owner) && ByteContentComparer.Instance.Equals(x.Data, y.Data);

        public int GetHashCode((ushort ForType, byte[] Owner, ushort Type, byte[] Data) obj) =>
            HashCode.Combine(obj.ForType, obj.Type, ByteContentComparer.Instance.GetHashCode(obj.Owner), ByteContentComparer.Instance.GetHashCode(obj.Data));
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
