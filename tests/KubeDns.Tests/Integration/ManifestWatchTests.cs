using System.Globalization;

namespace KubeDns.Tests.Integration;

/// <summary>The running server follows edits of its manifest folder without a restart.</summary>
public sealed class ManifestWatchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kubedns-watch-").FullName;

    [Fact]
    public void EditNewAndDeletedFiles_ChangeAnswersWithinASecondOrTwo()
    {
        File.WriteAllText(Path.Combine(_folder, "svc.yaml"), ServiceYaml("alpha", "10.96.5.1"));
        using var server = ServerProcess.Start(["--manifests", _folder]);
        Assert.Equal("10.96.5.1", Short(server, "alpha.default.svc.cluster.local"));

        File.WriteAllText(Path.Combine(_folder, "svc.yaml"), ServiceYaml("alpha", "10.96.5.2"));
        Eventually(() => Short(server, "alpha.default.svc.cluster.local") == "10.96.5.2");

        File.WriteAllText(Path.Combine(_folder, "beta.yaml"), ServiceYaml("beta", "10.96.5.3"));
        Eventually(() => Short(server, "beta.default.svc.cluster.local") == "10.96.5.3");

        File.Delete(Path.Combine(_folder, "beta.yaml"));
        Eventually(() => Status(server, "beta.default.svc.cluster.local") == "NXDOMAIN");
    }

    [Fact]
    public void BrokenEdit_IsReportedAndLastGoodContentKeepsServing()
    {
        var file = Path.Combine(_folder, "svc.yaml");
        File.WriteAllText(file, ServiceYaml("alpha", "10.96.5.1"));
        using var server = ServerProcess.Start(["--manifests", _folder]);

        File.WriteAllText(file, "apiVersion: v1\nkind: Service\nmetadata:\n  name: alpha\n  spec: [unclosed\n");
        Eventually(() => server.Output.Contains("svc.yaml", StringComparison.Ordinal) && server.Output.Contains("svc.yaml:", StringComparison.Ordinal));

        Assert.Equal("10.96.5.1", Short(server, "alpha.default.svc.cluster.local"));
        Assert.False(server.HasExited);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string ServiceYaml(string name, string ip) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: default
        spec:
          clusterIP: {ip}
          ports:
          - name: http
            port: 80
        """;

    private static string Short(ServerProcess server, string name) =>
        ExternalCommand.Check("dig", "@127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "+short", "+tries=1", "+time=2", name, "A").Trim();

    private static string Status(ServerProcess server, string name)
    {
        var output = ExternalCommand.Check("dig", "@127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "+tries=1", "+time=2", name, "A");
        var start = output.IndexOf("status: ", StringComparison.Ordinal) + 8;
        return output[start..output.IndexOf(',', start)];
    }

    /// <summary>Polls a condition for up to three seconds (the promise is one second; the rest is slack for CI).</summary>
    private static void Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            Thread.Sleep(50);
        }
    }
}
