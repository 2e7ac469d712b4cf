using System.Diagnostics;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// Runs the system's rule loader: the program on standard input of the load command; the entry points listed,
/// and the program inserting those missing loaded (kube-proxy's <c>iptables -C || -I</c>, in one go); the list
/// command's output parsed for the chains we own.
/// </summary>
internal sealed class CommandLoader(LoaderCommands commands) : IRuleLoader
{
    /// <summary>
    /// The longest one command may run. Loads are long only at scale (a 434,000-line iptables program takes
    /// ~9 s on the legacy backend, but over 12 minutes through iptables-nft); past this the sync fails and is
    /// retried, rather than hanging every later one.
    /// </summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(30);

    public async Task<LoadResult> LoadAsync(string program, CancellationToken cancellationToken)
    {
        // What a load prints is not ours to read (iptables-nft's -S line lists the table); its errors go to stderr.
        var (result, _) = await RunWithOutputAsync(commands.Load, program, cancellationToken, keepOutput: false).ConfigureAwait(false);
        return result.Succeeded ? result : result with { Error = FailedLine.Describe(result.Error, program) };
    }

    public async Task<(IReadOnlySet<string> Owned, string? Error)> ListOwnedAsync(CancellationToken cancellationToken)
    {
        var (result, output) = await RunWithOutputAsync(commands.List, null, cancellationToken).ConfigureAwait(false);
        // Nothing listed (no table yet, say) means nothing of ours to remove; the caller reports why.
        return result.Succeeded ? (commands.ParseOwned(output), null) : (new HashSet<string>(), result.Error);
    }

    public async Task<LoadResult> EnsureEntryPointsAsync(CancellationToken cancellationToken)
    {
        if (commands.EntryPoints is not { } entryPoints)
        {
            return LoadResult.Ok;
        }

        // One listing and one load for all of them: each check or insert command reads the whole table, which on
        // the legacy back end is a second at 10,000 services (twelve jumps were 24 s of a fresh start).
        var (listed, output) = await RunWithOutputAsync(entryPoints.List, null, cancellationToken).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return listed;
        }

        return entryPoints.InsertMissing(output) is { } program ? await LoadAsync(program, cancellationToken).ConfigureAwait(false) : LoadResult.Ok;
    }

    private static async Task<LoadResult> RunAsync(string[] command, string? input, CancellationToken cancellationToken) =>
        (await RunWithOutputAsync(command, input, cancellationToken).ConfigureAwait(false)).Result;

    private static async Task<(LoadResult Result, string Output)> RunWithOutputAsync(string[] command, string? input, CancellationToken cancellationToken, bool keepOutput = true)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{command[0]} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (new LoadResult(false, $"{command[0]}: {e.Message} (is it installed?)"), "");
        }

        using (process)
        {
            // The command's own limit, and the caller's stop: either kills the loader, so that a load stopped
            // half way cannot land later (the loaders are atomic: killed before commit, nothing applied).
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(CommandTimeout);
            try
            {
                var output = keepOutput ? process.StandardOutput.ReadToEndAsync(limit.Token) : Discard(process.StandardOutput, limit.Token);
                var error = process.StandardError.ReadToEndAsync(limit.Token);
                await WriteInputAsync(process, input, limit.Token).ConfigureAwait(false);
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                var printed = await output.ConfigureAwait(false);
                var message = ((await error.ConfigureAwait(false)) + printed).Trim();
                return process.ExitCode == 0
                    ? (LoadResult.Ok, printed)
                    : (new LoadResult(false, $"{string.Join(' ', command)} exited with {process.ExitCode}: {message}"), printed);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return (new LoadResult(false, $"{string.Join(' ', command)} did not finish in {CommandTimeout.TotalMinutes:F0} minutes; stopped"), "");
            }
        }
    }

    private static async Task<string> Discard(StreamReader output, CancellationToken cancellationToken)
    {
        await output.BaseStream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        return "";
    }

    /// <summary>
    /// Gives <paramref name="input"/> to the command. A loader stops reading at the first line it rejects, and a
    /// program larger than the pipe then fails the write (broken pipe): that is not our error to report but the
    /// loader's, which its exit code and message give.
    /// </summary>
    private static async Task WriteInputAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is not null)
            {
                // Encoded once and written whole, rather than through the writer's 4 KB buffer (a 24 MB program).
                await process.StandardInput.BaseStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(input), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// The commands of one loader: load a program from standard input, the jumps into our chains (none where the
/// program holds its own, as nftables' does), and a listing of the kernel's rules with the parser that finds our
/// chains in it.
/// </summary>
internal sealed record LoaderCommands(string[] Load, EntryPointCommands? EntryPoints, string[] List, Func<string, IReadOnlySet<string>> ParseOwned);

/// <summary>
/// The jumps from the built-in chains to ours: the listing that shows which are there, and from it the program
/// (for the load command) that inserts the missing ones, or null when none is.
/// </summary>
internal sealed record EntryPointCommands(string[] List, Func<string, string?> InsertMissing);
