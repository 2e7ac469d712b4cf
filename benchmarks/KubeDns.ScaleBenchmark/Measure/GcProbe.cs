using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace KubeDns.ScaleBenchmark.Measure;

/// <summary>
/// A full blocking garbage collection forced in another .NET process, and its heap after it: what
/// <c>GC.GetTotalMemory(forceFullCollection: true)</c> would return inside (approximately: see <see cref="HeapAfterGc"/>). The runtime collects when an
/// EventPipe session enables the GCHeapCollect keyword (the way dotnet-gcdump asks for one); the
/// GCHeapStats event that follows that collection has the size of every generation.
/// </summary>
internal static class GcProbe
{
    public static async Task<HeapAfterGc> ForceFullCollectionAsync(int pid, TimeSpan within)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords)], requestRundown: false, circularBufferMB: 16);
        using var source = new EventPipeEventSource(session.EventStream);
        var result = new TaskCompletionSource<HeapAfterGc>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inducedStarted = false;
        source.Clr.GCStart += e =>
        {
            if (e.Reason == GCReason.Induced && e.Depth == 2)
            {
                inducedStarted = true;
            }
        };
        source.Clr.GCHeapStats += e =>
        {
            if (inducedStarted)
            {
                result.TrySetResult(new HeapAfterGc(
                    e.GenerationSize0, e.GenerationSize1, e.GenerationSize2, e.GenerationSize3, e.GenerationSize4,
                    e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4));
            }
        };
        var processing = Task.Run(source.Process);
        try
        {
            return await result.Task.WaitAsync(within);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await processing.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}

/// <summary>
/// Right after a full blocking collection (bytes): the generation sizes (gen0-2, LOH, POH), which include the
/// free space between survivors, and what survived the collection (the live objects: what
/// <c>GC.GetTotalMemory(true)</c> approximates).
/// </summary>
internal sealed record HeapAfterGc(long Gen0, long Gen1, long Gen2, long LargeObjects, long PinnedObjects, long Survived)
{
    public long Total => Gen0 + Gen1 + Gen2 + LargeObjects + PinnedObjects;

    public double TotalMiB => Total / 1048576.0;

    public double SurvivedMiB => Survived / 1048576.0;
}
