using System.Diagnostics;
using KubeDns.ProxyRules.Model;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// The rules of one IP family (kube-proxy runs one proxier per family): what the last successful load left in
/// the kernel, and whether the next sync must be full. A failed load changes nothing (the loaders are atomic),
/// so the next sync is a full one, and every full sync lists the kernel first: whatever happened to the tables
/// meanwhile (a firewall reload, a failed run), it starts from what is there.
/// </summary>
internal sealed class FamilyRules(RuleSettings settings, IRuleWriter writer, IRuleLoader? loader, TextWriter? output, string label)
{
    private readonly ServicePortCache _ports = new(settings);
    private IReadOnlySet<string> _existing = new HashSet<string>();
    private IReadOnlySet<string> _emptied = new HashSet<string>();
    private bool _needFull = true;
    private bool _entryPointsInstalled;

    /// <summary>
    /// One sync. Never throws but for cancellation: any failure, ours or the loader's, is the report's error, and
    /// the next sync is full.
    /// </summary>
    public async Task<SyncReport> SyncAsync(ClusterSnapshot snapshot, bool forceFull, CancellationToken cancellationToken)
    {
        var full = forceFull || _needFull;
        try
        {
            return await SyncCoreAsync(snapshot, full, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _needFull = true;
            return new SyncReport(label, full, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, e.ToString());
        }
    }

    private async Task<SyncReport> SyncCoreAsync(ClusterSnapshot snapshot, bool full, CancellationToken cancellationToken)
    {
        if (full && loader is not null)
        {
            var (owned, listError) = await loader.ListOwnedAsync(cancellationToken).ConfigureAwait(false);
            if (listError is not null)
            {
                // The program is written against what the kernel has (which chains may hold rules to flush, which
                // stale ones to delete), never blind; the listings succeed on an empty kernel, so this is a fault.
                _needFull = true;
                return new SyncReport(label, full, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero, $"could not list the kernel's rules: {listError}");
            }

            _existing = owned;
            // Whether a listed chain is empty is not known: a stale one is flushed once more before it is deleted.
            _emptied = new HashSet<string>();
        }

        var clock = Stopwatch.StartNew();
        var ports = _ports.For(snapshot, full);
        var program = writer.Write(ports, full ? null : snapshot.ChangedServices, _existing, _emptied);
        var written = clock.Elapsed;
        if (output is not null)
        {
            await output.WriteAsync(program.Text.AsMemory(), cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var report = new SyncReport(label, full, ports.Count, program.RewrittenChains, program.DeletedChains, program.Text.Length, written, TimeSpan.Zero, null)
        {
            Emptied = program.Emptied.Count,
        };
        // Printed only: the reader is taken to load each program, so the next one follows on from it.
        var result = loader is null ? LoadResult.Ok : await loader.LoadAsync(program.Text, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            _existing = program.Chains;
            _emptied = program.Emptied;
            if (loader is not null && (!_entryPointsInstalled || full))
            {
                // After the load, so that every chain a jump targets exists.
                result = await loader.EnsureEntryPointsAsync(cancellationToken).ConfigureAwait(false);
                _entryPointsInstalled = result.Succeeded;
            }
        }

        _needFull = !result.Succeeded;
        return report with { Loaded = clock.Elapsed - written, Error = result.Succeeded ? null : result.Error };
    }
}

/// <summary>What one sync of one family did, for the log and the tests.</summary>
internal sealed record SyncReport(
    string Family,
    bool Full,
    int ServicePorts,
    int RewrittenChains,
    int DeletedChains,
    int Bytes,
    TimeSpan Written,
    TimeSpan Loaded,
    string? Error)
{
    /// <summary>Stale chains and sets the sync emptied and left for the next one to delete (nftables).</summary>
    public int Emptied { get; init; }
}
