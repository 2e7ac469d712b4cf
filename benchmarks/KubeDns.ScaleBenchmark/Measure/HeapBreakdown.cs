using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace KubeDns.ScaleBenchmark.Measure;

/// <summary>
/// Where the server's managed heap goes: a dump of the process (createdump, asked for through the
/// diagnostics IPC), read with ClrMD. Only live objects count (marked from the GC roots). The live heap is
/// broken down by type, and by owner (<see cref="ZoneAttribution"/>): each object is charged once, to the
/// first owner that reaches it.
/// </summary>
internal static class HeapBreakdown
{
    /// <summary>An array object of this size holds no element (x64: method table, length, padding).</summary>
    private const ulong EmptyArraySize = 24;

    public static HeapReport Analyze(int pid, string dumpPath, bool keepDump, string domain)
    {
        new DiagnosticsClient(pid).WriteDump(DumpType.WithHeap, dumpPath, logDumpGeneration: false);
        try
        {
            using var target = DataTarget.LoadDump(dumpPath);
            using var runtime = target.ClrVersions[0].CreateRuntime();
            return Analyze(runtime.Heap, new FileInfo(dumpPath).Length, domain);
        }
        finally
        {
            if (!keepDump)
            {
                File.Delete(dumpPath);
            }
        }
    }

    private static HeapReport Analyze(ClrHeap heap, long dumpBytes, string domain)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal) { ZoneAttribution.ZoneStoreType, ZoneAttribution.ZoneBuilderType, ZoneAttribution.InformerType, ZoneAttribution.ManifestSourceType };
        var found = new Dictionary<string, List<ClrObject>>(StringComparer.Ordinal);
        var live = new HashSet<ulong>();
        var byType = new Dictionary<string, TypeTotal>(StringComparer.Ordinal);
        long liveBytes = 0;
        long emptyArrays = 0;
        var stack = new Stack<ulong>(heap.EnumerateRoots().Select(r => r.Object.Address).Where(a => a != 0));
        while (stack.Count > 0)
        {
            var address = stack.Pop();
            if (!live.Add(address))
            {
                continue;
            }

            var obj = heap.GetObject(address);
            if (!obj.IsValid)
            {
                continue;
            }

            var name = obj.Type?.Name ?? "?";
            liveBytes += (long)obj.Size;
            byType[name] = byType.GetValueOrDefault(name) + (long)obj.Size;
            if (obj.Size == EmptyArraySize && obj.Type?.IsArray == true)
            {
                emptyArrays++;
            }

            if (wanted.Contains(name))
            {
                (found.TryGetValue(name, out var list) ? list : found[name] = []).Add(obj);
            }

            foreach (var reference in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: true))
            {
                if (reference != 0 && !live.Contains(reference))
                {
                    stack.Push(reference);
                }
            }
        }

        var charging = new HeapCharging(heap);
        var informers = found.GetValueOrDefault(ZoneAttribution.InformerType) ?? [];
        ZoneAttribution.Charge(
            charging,
            found.GetValueOrDefault(ZoneAttribution.ZoneStoreType)?.FirstOrDefault(),
            found.GetValueOrDefault(ZoneAttribution.ZoneBuilderType)?.FirstOrDefault(),
            informers,
            found.GetValueOrDefault(ZoneAttribution.ManifestSourceType)?.FirstOrDefault(),
            domain);
        var counters = informers
            .Select(i => new InformerCounts(ZoneAttribution.SourceOf(i), i.ReadField<int>("<Relists>k__BackingField"), i.ReadField<int>("<Watches>k__BackingField")))
            .OrderBy(i => i.Source, StringComparer.Ordinal)
            .ToList();
        return new HeapReport(
            liveBytes,
            live.Count,
            emptyArrays,
            heap.Segments.Sum(s => (long)s.CommittedMemory.Length),
            dumpBytes,
            [.. byType.Select(p => p.Value with { Type = p.Key }).OrderByDescending(t => t.Bytes)],
            [.. charging.Totals],
            counters);
    }
}

internal sealed record TypeTotal(string Type, long Count, long Bytes)
{
    public static TypeTotal operator +(TypeTotal? total, long size) =>
        total is null ? new TypeTotal(string.Empty, 1, size) : total with { Count = total.Count + 1, Bytes = total.Bytes + size };
}

internal sealed record OwnerTotal(string Area, string What, long Bytes, long Objects, IReadOnlyList<TypeTotal> TopTypes);

internal sealed record InformerCounts(string Source, int Relists, int Watches);

/// <summary>The live heap of the dump: total, by type, by owner, and the informers' counters.</summary>
internal sealed record HeapReport(
    long LiveBytes,
    long LiveObjects,
    long EmptyArrays,
    long CommittedBytes,
    long DumpBytes,
    IReadOnlyList<TypeTotal> ByType,
    IReadOnlyList<OwnerTotal> ByOwner,
    IReadOnlyList<InformerCounts> Informers)
{
    public long UnchargedBytes => LiveBytes - ByOwner.Sum(o => o.Bytes);
}
