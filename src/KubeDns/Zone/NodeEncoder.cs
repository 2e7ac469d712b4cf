namespace KubeDns.Zone;

/// <summary>Merges the contributions at one name into its encoded <see cref="ZoneNode"/>.</summary>
internal static class NodeEncoder
{
    /// <summary>
    /// Groups records by TYPE, drops duplicates (one endpoint address in two slices, two services with one
    /// PTR target), and encodes each set. Order is stable: first contribution first.
    /// </summary>
    public static ZoneNode Encode(byte[] name, IEnumerable<NameContribution> contributions, ZoneAuthority? apexOf)
    {
        var records = new Dictionary<ushort, List<ZoneRecord>>();
        var glue = new Dictionary<ushort, List<GlueRecord>>();
        var seenRecords = new HashSet<(ushort, string)>();
        var seenGlue = new HashSet<(ushort, string, ushort, string)>();
        byte[]? cnameTarget = null;
        foreach (var contribution in contributions)
        {
            cnameTarget ??= contribution.CnameTarget;
            foreach (var record in contribution.Records)
            {
                if (seenRecords.Add((record.Type, Convert.ToHexString(record.Data))))
                {
                    ListFor(records, record.Type).Add(record);
                }
            }

            foreach (var item in contribution.Glue)
            {
                if (seenGlue.Add((item.ForType, Convert.ToHexString(item.Owner), item.Type, Convert.ToHexString(item.Data))))
                {
                    ListFor(glue, item.ForType).Add(item);
                }
            }
        }

        var sets = records
            .Select(pair => RecordSet.Encode(pair.Key, pair.Value, glue.TryGetValue(pair.Key, out var g) ? g : []))
            .ToArray();
        return new ZoneNode(name, sets, cnameTarget, apexOf);
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
