using System.Diagnostics;

namespace KubeDns.ProxyRules.Sync;

/// <summary>
/// Runs the system's rule loader: the program on standard input of <see cref="_load"/>; each entry point as a
/// check command, and when that fails the matching insert command (kube-proxy's <c>iptables -C || -I</c>).
/// </summary>
internal sealed class CommandLoader(string[] load, IReadOnlyList<EntryPoint> entryPoints) : IRuleLoader
{
    private readonly string[] _load = load;

    public Task<LoadResult> LoadAsync(string program, CancellationToken cancellationToken) => RunAsync(_load, program, cancellationToken);

    public async Task<LoadResult> EnsureEntryPointsAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in entryPoints)
        {
            if ((await RunAsync(entry.Check, null, cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                continue;
            }

            var inserted = await RunAsync(entry.Insert, null, cancellationToken).ConfigureAwait(false);
            if (!inserted.Succeeded)
            {
                return inserted;
            }
        }

        return LoadResult.Ok;
    }

    private static async Task<LoadResult> RunAsync(string[] command, string? input, CancellationToken cancellationToken)
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
            return new LoadResult(false, $"{command[0]}: {e.Message} (is it installed?)");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var message = ((await error.ConfigureAwait(false)) + (await output.ConfigureAwait(false))).Trim();
            return process.ExitCode == 0
                ? LoadResult.Ok
                : new LoadResult(false, $"{string.Join(' ', command)} exited with {process.ExitCode}: {message}");
        }
    }
}

/// <summary>A jump from a built-in chain to one of ours: the command that checks for it and the one that inserts it.</summary>
internal sealed record EntryPoint(string[] Check, string[] Insert);
