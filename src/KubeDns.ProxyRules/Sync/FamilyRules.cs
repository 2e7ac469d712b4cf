using System.Diagnostics;
using KubeDns.ProxyRules.Model;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// The rules of one IP family (kube-proxy runs one proxier per family): what the last successful load left in
/// the kernel, and whether the next sync must be full. A failed load changes nothing (the loaders are atomic),
/// so the next sync is a full one.
/// </summary>
internal sealed class FamilyRules(RuleSettings settings, IRuleWriter writer, IRuleLoader? loader, TextWriter? output, string label)
{
    private IReadOnlySet<string> _existing = new HashSet<string>();
    private bool _needFull = true;
    private bool _entryPointsInstalled;
    private bool _listed;

    public RuleSettings Settings => settings;

    public async Task<SyncReport> SyncAsync(ClusterSnapshot snapshot, bool forceFull, CancellationToken cancellationToken)
    {
        if (!_listed && loader is not null)
        {
            _existing = await loader.ListOwnedAsync(cancellationToken).ConfigureAwait(false);
            _listed = true;
        }

        var full = forceFull || _needFull;
        var clock = Stopwatch.StartNew();
        var ports = ServicePort.All(snapshot.Services, snapshot.Slices, settings);
        var program = writer.Write(ports, full ? null : snapshot.ChangedServices, _existing);
        var written = clock.Elapsed;
        if (output is not null)
        {
            await output.WriteAsync(program.Text.AsMemory(), cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var report = new SyncReport(label, full, ports.Count, program.RewrittenChains, program.DeletedChains, program.Text.Length, written, TimeSpan.Zero, null);
        if (loader is not null)
        {
            var result = await loader.LoadAsync(program.Text, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded && (!_entryPointsInstalled || full))
            {
                // After the load, so that every chain a jump targets exists.
                result = await loader.EnsureEntryPointsAsync(cancellationToken).ConfigureAwait(false);
                _entryPointsInstalled = result.Succeeded;
            }

            report = report with { Loaded = clock.Elapsed - written, Error = result.Succeeded ? null : result.Error };
            if (!result.Succeeded)
            {
                _needFull = true;
                return report;
            }
        }

        _existing = program.Chains;
        _needFull = false;
        return report;
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
    string? Error);
