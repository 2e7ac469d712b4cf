using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeDns.ScaleBenchmark.Processes;

/// <summary>
/// The server under test: the real KubeDns executable (its build output lands beside this program, or a
/// published one), started as the container starts it (the runtimeconfig's GC settings), reading the fake API
/// server with <c>--pods verified</c> so that Pods are watched too, or a folder of manifests.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const string SyncedMarker = ": synced ";
    private const string ReleaseMarker = "memory of an allocation burst";
    private readonly ChildProcess _child;
    private readonly Dictionary<string, (long At, string Line)> _synced = new(StringComparer.Ordinal);
    private readonly List<string> _releases = [];

    private ServerProcess(ChildProcess child, IPEndPoint endPoint)
    {
        _child = child;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public int Id => _child.Id;

    public long StartedAt => _child.StartedAt;

    /// <param name="program">As for the other overload: null for the build output beside this program.</param>
    /// <param name="kubeconfig">The fake API server's kubeconfig.</param>
    /// <param name="autopath">Add <c>--autopath</c> to <c>--pods verified</c>.</param>
    /// <param name="environment">Extra environment variables (KEY=VALUE), e.g. GC settings to compare.</param>
    public static ServerProcess Start(string? program, string kubeconfig, bool autopath, IReadOnlyList<string> environment) =>
        Start(program, ["--kubeconfig", kubeconfig, "--pods", "verified", .. autopath ? (string[])["--autopath"] : []], environment);

    /// <param name="program">The server to run: null for the build output beside this program (<c>dotnet KubeDns.dll</c>),
    /// or a published one (its <c>KubeDns.dll</c>, or the native <c>KubeDns</c> executable).</param>
    /// <param name="source">Where the cluster comes from, e.g. <c>--manifests DIR</c>.</param>
    /// <param name="environment">Extra environment variables (KEY=VALUE).</param>
    public static ServerProcess Start(string? program, IReadOnlyList<string> source, IReadOnlyList<string> environment)
    {
        program ??= Path.Combine(AppContext.BaseDirectory, "KubeDns.dll");
        if (!File.Exists(program))
        {
            throw new FileNotFoundException("the KubeDns server program is missing", program);
        }

        var endPoint = new IPEndPoint(IPAddress.Loopback, FreeUdpPort());
        var child = ChildProcess.Start("KubeDns server", program,
        [
            .. source,
            "--listen", endPoint.ToString(),
            // The HTTP endpoints on, as deployed, but on free ports.
            "--health-listen", "127.0.0.1:0", "--ready-listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
        ], environment.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal));
        return new ServerProcess(child, endPoint);
    }

    /// <summary>
    /// The informers' "synced" log lines read so far: source → milliseconds from process start to the line
    /// reaching us, and the line.
    /// </summary>
    public IReadOnlyDictionary<string, (double Ms, string Line)> Synced
    {
        get
        {
            ReadLines();
            return _synced.ToDictionary(pair => pair.Key, pair => (Stopwatch.GetElapsedTime(StartedAt, pair.Value.At).TotalMilliseconds, pair.Value.Line));
        }
    }

    /// <summary>The server's "gave back the memory of an allocation burst" lines read so far (Memory/BurstMemoryRelease).</summary>
    public IReadOnlyList<string> MemoryReleases
    {
        get
        {
            ReadLines();
            return [.. _releases];
        }
    }

    public bool HasExited => _child.HasExited;

    /// <summary>Sorts the server's output that arrived since the last call into the lines kept above.</summary>
    private void ReadLines()
    {
        foreach (var (line, arrived) in _child.DrainLines())
        {
            if (line.Contains(ReleaseMarker, StringComparison.Ordinal))
            {
                _releases.Add(line);
            }

            var at = line.IndexOf(SyncedMarker, StringComparison.Ordinal);
            if (at > 0)
            {
                var source = line[..at].Split(' ').Last();
                _synced.TryAdd(source, (arrived, line));
            }
        }
    }

    public string Errors() => _child.Errors();

    public async ValueTask DisposeAsync()
    {
        await _child.KillAsync();
        await _child.DisposeAsync();
    }

    /// <summary>A UDP port free now whose TCP twin is free too (the server binds both).</summary>
    private static int FreeUdpPort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // Taken over TCP: try another.
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"KubeDns pid {Id} on {EndPoint}");
}
