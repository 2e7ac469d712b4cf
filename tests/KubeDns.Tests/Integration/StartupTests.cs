using System.Net;
using System.Net.Sockets;

namespace KubeDns.Tests.Integration;

/// <summary>Start-up failures end the process with a clear message instead of a server that half works.</summary>
public sealed class StartupTests
{
    [Fact]
    public void PortInUse_FailsStartupNamingTheAddress()
    {
        using var occupier = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        occupier.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)occupier.LocalEndPoint!).Port;

        var result = RunServer("--manifests", RepositoryPaths.DemoManifests, "--listen", $"127.0.0.1:{port}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--listen", "127.0.0.1:99999")]
    [InlineData("--ttl", "-1")]
    [InlineData("--pods", "sometimes")]
    [InlineData("--no-such-flag", "1")]
    public void BadFlag_ExitsWithOneLineNamingIt(string flag, string value)
    {
        var result = RunServer("--manifests", RepositoryPaths.DemoManifests, flag, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(flag, line, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingManifestPath_FailsStartupNamingThePath()
    {
        var result = RunServer("--manifests", "/nonexistent/kubedns-manifests", "--listen", $"127.0.0.1:{ServerProcess.FreePort()}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent/kubedns-manifests", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }

    private static CommandResult RunServer(params string[] arguments) =>
        ExternalCommand.Run("dotnet", [RepositoryPaths.ServerAssembly, .. ServerProcess.WithTestDefaults(arguments)], TimeSpan.FromSeconds(60));
}
