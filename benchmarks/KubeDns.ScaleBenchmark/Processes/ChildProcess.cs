using System.Diagnostics;
using System.Threading.Channels;

namespace KubeDns.ScaleBenchmark.Processes;

/// <summary>
/// A child process whose stdout lines are read into a queue (with the time each arrived) and whose stderr is
/// kept for the failure message. Killed (the whole tree) on dispose if it is still running.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<(string Line, long Arrived)> _lines = Channel.CreateUnbounded<(string, long)>();
    private readonly List<string> _errors = [];
    private readonly Lock _gate = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>When the process was started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; private init; }

    /// <summary>Starts a .NET program: an apphost directly, or a .dll through the dotnet host.</summary>
    public static ChildProcess Start(string name, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            info.FileName = DotnetHost();
            info.ArgumentList.Add(program);
        }
        else
        {
            info.FileName = program;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name}: could not start {program}");
        var child = new ChildProcess(process, name) { StartedAt = started };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                child._lines.Writer.TryWrite((line, Stopwatch.GetTimestamp()));
            }
            else
            {
                child._lines.Writer.TryComplete();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (child._gate)
                {
                    child._errors.Add(line);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The next stdout line; throws with the child's stderr if it ends first or the time runs out.</summary>
    public async Task<(string Line, long Arrived)> ReadLineAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            if (await _lines.Reader.WaitToReadAsync(timeout.Token) && _lines.Reader.TryRead(out var item))
            {
                return item;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name}: no output within {within.TotalSeconds:F0} s. {Errors()}");
        }

        throw new InvalidOperationException($"{Name} ended (exit code {ExitCode()}). {Errors()}");
    }

    /// <summary>Lines already read, without waiting.</summary>
    public IEnumerable<(string Line, long Arrived)> DrainLines()
    {
        while (_lines.Reader.TryRead(out var item))
        {
            yield return item;
        }
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public string Errors()
    {
        lock (_gate)
        {
            return _errors.Count == 0 ? "(nothing on stderr)" : "stderr: " + string.Join(" | ", _errors.TakeLast(20));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Kills the process (and its children) and waits for it to end.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private string ExitCode() => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";
}
