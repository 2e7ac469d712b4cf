using Microsoft.Diagnostics.Runtime;

namespace KubeDns.ScaleBenchmark.Measure;

/// <summary>
/// Charges live objects to owners: a walk from a start object charges everything it reaches that no earlier
/// walk charged, so each object is counted once, for the first owner that reaches it.
/// </summary>
internal sealed class HeapCharging(ClrHeap heap)
{
    private readonly HashSet<ulong> _charged = [];
    private readonly Dictionary<(string Area, string What), OwnerBucket> _buckets = [];
    private readonly List<(string Area, string What)> _order = [];

    public IEnumerable<OwnerTotal> Totals =>
        _order.Select(key => _buckets[key]).Select(b => new OwnerTotal(b.Area, b.What, b.Bytes, b.Objects,
            [.. b.ByType.Select(p => p.Value with { Type = p.Key }).OrderByDescending(t => t.Bytes)]));

    public long ChargedBytes => _buckets.Values.Sum(b => b.Bytes);

    /// <summary>
    /// Charges what <paramref name="start"/> reaches to (area, what). Objects for which <paramref name="stop"/>
    /// holds are neither charged nor followed; they are returned, to be charged by a finer owner.
    /// </summary>
    public List<ClrObject> Charge(string area, string what, ClrObject start, Func<ClrObject, bool>? stop = null)
    {
        var bucket = Bucket(area, what);
        var stopped = new List<ClrObject>();
        if (start.IsNull)
        {
            return stopped;
        }

        var stack = new Stack<ulong>();
        stack.Push(start.Address);
        while (stack.Count > 0)
        {
            var address = stack.Pop();
            if (_charged.Contains(address))
            {
                continue;
            }

            var obj = heap.GetObject(address);
            if (!obj.IsValid)
            {
                continue;
            }

            if (stop is not null && address != start.Address && stop(obj))
            {
                stopped.Add(obj);
                continue;
            }

            _charged.Add(address);
            bucket.Add(obj.Type?.Name ?? "?", (long)obj.Size);
            foreach (var reference in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: true))
            {
                if (reference != 0 && !_charged.Contains(reference))
                {
                    stack.Push(reference);
                }
            }
        }

        return stopped;
    }

    /// <summary>Charges one object alone (its references are not followed); false when it was charged already.</summary>
    public bool ChargeShallow(string area, string what, ClrObject obj)
    {
        if (obj.IsNull || !obj.IsValid || !_charged.Add(obj.Address))
        {
            return false;
        }

        Bucket(area, what).Add(obj.Type?.Name ?? "?", (long)obj.Size);
        return true;
    }

    /// <summary>The used entries of a <c>Dictionary&lt;TKey, TValue&gt;</c>: their address and struct type, to read key and value from.</summary>
    public static IEnumerable<DictionaryEntry> Entries(ClrObject dictionary)
    {
        var entries = dictionary.ReadObjectField("_entries");
        if (entries.IsNull || entries.Type?.ComponentType is not { } entryType)
        {
            yield break;
        }

        var count = dictionary.ReadField<int>("_count");
        var next = entryType.GetFieldByName("next")!;
        var key = entryType.GetFieldByName("key")!;
        var value = entryType.GetFieldByName("value")!;
        for (var i = 0; i < count; i++)
        {
            var address = entries.Type.GetArrayElementAddress(entries.Address, i);
            if (next.Read<int>(address, interior: true) >= -1)
            {
                yield return new DictionaryEntry(address, key, value);
            }
        }
    }

    private OwnerBucket Bucket(string area, string what)
    {
        if (!_buckets.TryGetValue((area, what), out var bucket))
        {
            bucket = new OwnerBucket(area, what);
            _buckets.Add((area, what), bucket);
            _order.Add((area, what));
        }

        return bucket;
    }

    private sealed class OwnerBucket(string area, string what)
    {
        public string Area { get; } = area;

        public string What { get; } = what;

        public long Bytes { get; private set; }

        public long Objects { get; private set; }

        public Dictionary<string, TypeTotal> ByType { get; } = new(StringComparer.Ordinal);

        public void Add(string type, long size)
        {
            Bytes += size;
            Objects++;
            ByType[type] = ByType.GetValueOrDefault(type) + size;
        }
    }
}

/// <summary>One used dictionary entry: its address (interior, inside the entries array) and how to read it.</summary>
internal readonly record struct DictionaryEntry(ulong Address, ClrInstanceField KeyField, ClrInstanceField ValueField)
{
    public ClrObject Value => ValueField.ReadObject(Address, interior: true);

    public ClrValueType Key => KeyField.ReadStruct(Address, interior: true);
}
