using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Integration;

/// <summary>
/// The real server executable, started as its own process on loopback (or inside a network namespace),
/// and stopped with its whole process tree when the test ends.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Everything the server printed so far (logs), for assertions and failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the server on 127.0.0.1 with a free port and waits until it answers: the build beside the tests
    /// (<c>dotnet KubeDns.dll</c>), or <paramref name="program"/>, a native executable (the published one).
    /// </summary>
    public static ServerProcess Start(IEnumerable<string> arguments, int? port = null, string? networkNamespace = null, string? program = null)
    {
        var chosen = port ?? FreePort();
        string[] command = program is null ? ["dotnet", RepositoryPaths.ServerAssembly] : [program];
        var start = new ProcessStartInfo(networkNamespace is null ? command[0] : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in networkNamespace is null ? command[1..] : ["netns", "exec", networkNamespace, .. command])
        {
            start.ArgumentList.Add(part);
        }

        foreach (var argument in WithTestDefaults(arguments).Append("--listen").Append($"127.0.0.1:{chosen}"))
        {
            start.ArgumentList.Add(argument);
        }

        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the server"), chosen);
        if (networkNamespace is null)
        {
            server.WaitUntilAnswering();
        }

        return server;
    }

    public static ServerProcess StartOnDemo(params string[] extra) =>
        Start(["--manifests", RepositoryPaths.DemoManifests, .. extra]);

    /// <summary>
    /// The HTTP endpoints on free loopback ports (the defaults, :8080 and so on, would collide between tests
    /// running in parallel), no lame-duck wait and no forwarding, unless the test sets them itself.
    /// </summary>
    public static IEnumerable<string> WithTestDefaults(IEnumerable<string> arguments)
    {
        var given = arguments.ToList();
        foreach (var flag in new[] { "--health-listen", "--ready-listen", "--metrics-listen" })
        {
            if (!given.Contains(flag))
            {
                given.AddRange([flag, "127.0.0.1:0"]);
            }
        }

        if (!given.Contains("--lameduck"))
        {
            given.AddRange(["--lameduck", "0"]);
        }

        // This machine's resolv.conf points at resolvers the tests cannot reach: forward only when a test says where.
        if (!given.Contains("--upstream"))
        {
            given.AddRange(["--upstream", "none"]);
        }

        return given;
    }

    /// <summary>Where the server serves an HTTP path (read from its "Serving http://ADDR:PORT/path" log line).</summary>
    public Uri HttpUrl(string path, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var pattern = new System.Text.RegularExpressions.Regex($@"Serving (http://[^\s]+{System.Text.RegularExpressions.Regex.Escape(path)})\b");
        while (DateTime.UtcNow < deadline)
        {
            var match = pattern.Match(Output);
            if (match.Success)
            {
                return new Uri(match.Groups[1].Value);
            }

            Assert.False(_process.HasExited, "the server exited: " + Output);
            Thread.Sleep(50);
        }

        throw new TimeoutException($"the server did not log where it serves {path}: " + Output);
    }

    /// <summary>A UDP port that is free now on 127.0.0.1 (TCP is checked too, since the server binds both).</summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken over UDP: try another.
            }
        }

        throw new InvalidOperationException("no free port");
    }

    /// <summary>Polls with a real query until the server answers, or fails with its output.</summary>
    public void WaitUntilAnswering(TimeSpan? timeout = null)
    {
        try
        {
            UdpProbe.WaitUntilAnswering(EndPoint, QueryBytes.Build("dns-version.cluster.local", 16), timeout ?? TimeSpan.FromSeconds(30),
                () => _process.HasExited ? "the server exited: " + Output : null);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("the server did not answer in time: " + Output);
        }
    }

    /// <summary>Sends SIGTERM, as the kubelet does to stop a container.</summary>
    public void Terminate() => ExternalCommand.Check("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException("the server did not exit: " + Output);
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
