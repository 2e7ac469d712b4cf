using System.Globalization;
using KubeDns.ScaleBenchmark.Fake;

namespace KubeDns.ScaleBenchmark.Processes;

/// <summary>The measuring side of the fake API server child: start it, wait for its load, send it commands.</summary>
internal sealed class FakeApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan LoadLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReplyLimit = TimeSpan.FromSeconds(30);
    private readonly ChildProcess _child;

    private FakeApiProcess(ChildProcess child, string kubeconfig, string readyLine)
    {
        _child = child;
        Kubeconfig = kubeconfig;
        ReadyLine = readyLine;
    }

    public string Kubeconfig { get; }

    /// <summary>The child's <c>ready ...</c> line: load time and object counts.</summary>
    public string ReadyLine { get; }

    public int Id => _child.Id;

    /// <summary>Starts this program again as <c>serve-fake</c> with the same sizes and waits until it serves.</summary>
    public static async Task<FakeApiProcess> StartAsync(ScaleOptions options)
    {
        var self = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) != "dotnet"
            ? path
            : typeof(FakeApiProcess).Assembly.Location;
        var child = ChildProcess.Start("fake API server", self, ["serve-fake", .. options.SizeArguments]);
        try
        {
            var (kubeconfigLine, _) = await child.ReadLineAsync(LoadLimit);
            var kubeconfig = After(kubeconfigLine, FakeApiCommands.KubeconfigLine);
            var (readyLine, _) = await child.ReadLineAsync(LoadLimit);
            After(readyLine, FakeApiCommands.ReadyLine);
            return new FakeApiProcess(child, kubeconfig, readyLine);
        }
        catch
        {
            await child.KillAsync();
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one command and returns its reply; an <c>error</c> reply throws.</summary>
    public async Task<string> SendAsync(string command)
    {
        await _child.WriteLineAsync(command);
        var (reply, _) = await _child.ReadLineAsync(ReplyLimit);
        return reply.StartsWith("error", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"fake API server: '{command}' failed: {reply}")
            : reply;
    }

    /// <summary>List requests and started watches per kind, in <see cref="FakeApiCommands.Kinds"/> order.</summary>
    public async Task<(int[] Lists, int[] Watches)> StatsAsync()
    {
        var reply = await SendAsync("stats");
        var parts = reply.Split(' ');
        return (Numbers(parts[1], "lists="), Numbers(parts[2], "watches="));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_child.HasExited)
        {
            try
            {
                await _child.WriteLineAsync("exit");
            }
            catch (IOException)
            {
                // Gone already.
            }
        }

        await _child.DisposeAsync();
    }

    private static int[] Numbers(string part, string prefix) =>
        [.. part[prefix.Length..].Split(',').Select(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture))];

    private static string After(string line, string word) =>
        line.StartsWith(word + " ", StringComparison.Ordinal)
            ? line[(word.Length + 1)..]
            : throw new InvalidOperationException($"fake API server: expected '{word} ...', got '{line}'");
}
