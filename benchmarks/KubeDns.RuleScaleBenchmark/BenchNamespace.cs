using System.Diagnostics;

namespace KubeDns.RuleScaleBenchmark;

/// <summary>A network namespace of the benchmark's own, where loaders run and time their work; deleted on dispose.</summary>
internal sealed class BenchNamespace : IDisposable
{
    private static int count;

    private readonly string name = $"kdr-bench-{Environment.ProcessId}-{Interlocked.Increment(ref count)}";

    public BenchNamespace() => Execute("ip", ["netns", "add", this.name], string.Empty);

    public string Name => this.name;

    /// <summary>Milliseconds <paramref name="command"/> took inside the namespace, fed <paramref name="input"/>; infinity when stopped after 5 minutes.</summary>
    public double Run(string[] command, string input) => Execute("ip", ["netns", "exec", this.name, .. command], input).Ms;

    /// <summary>What <paramref name="command"/> printed inside the namespace.</summary>
    public string Exec(params string[] command) => Execute("ip", ["netns", "exec", this.name, .. command], string.Empty).Output;

    public void Dispose() => Execute("ip", ["netns", "del", this.name], string.Empty);

    private static (double Ms, string Output) Execute(string file, string[] arguments, string input)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        // Written beside the wait, so that a loader reading slowly is stopped at the limit too.
        var writing = Task.Run(() =>
        {
            try
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The loader stopped reading (it failed early, or was stopped); its exit code and message say why.
            }
        });
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            writing.Wait();
            return (double.PositiveInfinity, "");
        }

        writing.Wait();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error.Result}{output.Result}");
        }

        return (clock.Elapsed.TotalMilliseconds, output.Result);
    }
}
