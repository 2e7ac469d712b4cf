using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeDns.LoadBenchmark;

/// <summary>One DNS server under test, started as its own process on 127.0.0.1 and killed on dispose.</summary>
internal sealed class ServerUnderTest : IDisposable
{
    private readonly Process _process;

    private ServerUnderTest(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>
    /// KubeDns as the container runs it, on the manifests, forwarding names outside the cluster to
    /// <paramref name="upstream"/> (Knot) with its default cache, without the HTTP endpoints.
    /// </summary>
    /// <param name="program">A published KubeDns (native, or a KubeDns.dll); null for the build output beside this one.</param>
    public static ServerUnderTest StartKubeDns(string manifests, int upstream, string? program = null)
    {
        var port = FreePort();
        program ??= Path.Combine(AppContext.BaseDirectory, "KubeDns.dll");
        string[] flags = ["--manifests", manifests, "--listen", $"127.0.0.1:{port}", "--upstream", $"127.0.0.1:{upstream}",
             "--health-listen", "off", "--ready-listen", "off", "--metrics-listen", "off", "--lameduck", "0"];
        return program.EndsWith(".dll", StringComparison.Ordinal)
            ? Start("KubeDns", "dotnet", [program, .. flags], port)
            : Start("KubeDns", program, flags, port);
    }

    /// <summary>
    /// Knot DNS serving the equivalent cluster zone and the outside zone, with its default workers (one UDP
    /// worker per core).
    /// </summary>
    public static ServerUnderTest StartKnot(string folder, string zoneFile, string externalZoneFile)
    {
        var port = FreePort();
        var config = Path.Combine(folder, "knot.conf");
        File.WriteAllText(config, $"""
            server:
                rundir: "{folder}"
                listen: 127.0.0.1@{port.ToString(CultureInfo.InvariantCulture)}
            log:
              - target: stderr
                any: error
            database:
                storage: "{folder}/db"
            zone:
              - domain: cluster.local
                file: "{zoneFile}"
              - domain: example.org
                file: "{externalZoneFile}"

            """);
        return Start("Knot", "knotd", ["-c", config], port);
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

    private static ServerUnderTest Start(string name, string file, string[] arguments, int port)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[{name}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerUnderTest(name, process, port);
        server.WaitUntilAnswering();
        return server;
    }

    /// <summary>Until the zone is loaded: a known service answers NOERROR.</summary>
    private void WaitUntilAnswering()
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Client.ReceiveTimeout = 200;
        var query = Query($"{ClusterFiles.Service(0)}.{ClusterFiles.Namespace(0)}.svc.cluster.local");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}");
            }

            try
            {
                client.Send(query, new IPEndPoint(IPAddress.Loopback, Port));
                IPEndPoint? from = null;
                var answer = client.Receive(ref from);
                if (answer.Length > 12 && (answer[3] & 0x0F) == 0 && answer[7] > 0)
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"{Name} did not answer within 120 s");
    }

    private static byte[] Query(string name)
    {
        var bytes = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, 0, 1, 0, 1]);
        return [.. bytes];
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
