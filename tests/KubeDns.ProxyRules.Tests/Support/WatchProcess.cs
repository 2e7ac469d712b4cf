using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>
/// The rule generator running with <c>--watch</c> (in a namespace when given one): each sync's program read
/// from its standard output (a program ends with its second COMMIT: filter, then nat), its log kept for messages.
/// </summary>
internal sealed class WatchProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _log = new();

    public WatchProcess(NetworkNamespace? node, params string[] flags)
    {
        var info = new ProcessStartInfo(node is null ? "dotnet" : "ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] prefix = node is null ? [] : ["netns", "exec", node.Name, "dotnet"];
        foreach (var argument in (string[])[.. prefix, ProxyRulesProcess.Dll, .. flags, "--watch", "--min-sync-period", "100ms"])
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Add(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_log)
            {
                _log.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The next program printed (no --apply), within <paramref name="timeout"/>.</summary>
    public string NextProgram(TimeSpan timeout)
    {
        var program = new StringBuilder();
        var commits = 0;
        var deadline = DateTime.UtcNow + timeout;
        while (commits < 2)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
            {
                throw new TimeoutException($"no complete program within {timeout}; log:\n{Log}");
            }

            program.Append(line).Append('\n');
            commits += line == "COMMIT" ? 1 : 0;
        }

        return program.ToString();
    }

    /// <summary>Waits until the log shows <paramref name="count"/> successful syncs.</summary>
    public void WaitForSyncs(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (System.Text.RegularExpressions.Regex.Count(Log, @"sync \d+ ipv4 (full|partial):") < count)
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"fewer than {count} syncs; log:\n{Log}");
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _lines.Dispose();
    }
}
