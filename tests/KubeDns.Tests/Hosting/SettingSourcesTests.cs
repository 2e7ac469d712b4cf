using KubeDns.Hosting;

namespace KubeDns.Tests.Hosting;

/// <summary>Settings from KUBEDNS_* variables and a --config YAML file: precedence, lists, switches, and errors naming their source.</summary>
public sealed class SettingSourcesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kubedns-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Environment_FillsWhatTheCommandLineLeavesOut()
    {
        var options = Parse(["--manifests", "m", "--ttl", "7"], new() { ["KUBEDNS_TTL"] = "30", ["KUBEDNS_PODS"] = "verified", ["KUBEDNS_LISTEN"] = "127.0.0.1:53, [::1]:53" });

        Assert.Equal(7u, options.Ttl); // the command line wins
        Assert.Equal(PodsMode.Verified, options.Pods);
        Assert.Equal(["127.0.0.1:53", "[::1]:53"], options.Listen.Select(e => e.ToString()));
    }

    [Fact]
    public void ConfigFile_SetsFlagsByName_EnvironmentWinsOverIt()
    {
        var file = Write("""
            manifests: [/etc/kubedns/manifests]
            ttl: 30
            max-udp-size: 4096
            endpoint-pod-names: true
            lameduck: 9
            metrics-listen: off
            """);

        var options = Parse(["--config", file], new() { ["KUBEDNS_TTL"] = "12" });

        Assert.Equal(["/etc/kubedns/manifests"], options.Manifests);
        Assert.Equal(12u, options.Ttl);
        Assert.Equal(4096, options.MaxUdpSize);
        Assert.True(options.EndpointPodNames);
        Assert.Equal(TimeSpan.FromSeconds(9), options.LameDuck);
        Assert.Null(options.MetricsListen);
        Assert.NotNull(options.HealthListen); // still the default
    }

    [Theory]
    [InlineData("ttl: many\n", "--config {0}: ttl (line 1): 'many' is not a whole number from 0 to 86400")]
    [InlineData("manifests: m\ncolour: blue\n", "--config {0}: unknown setting 'colour' (line 2)")]
    [InlineData("- ttl\n", "--config {0}: expected a mapping of settings")]
    [InlineData("ttl: {a: 1}\n", "--config {0}: ttl (line 1): expected a value or a list of values")]
    [InlineData("ttl: [1\n", "--config {0}:")]
    public void BadConfigFile_IsOneLineNamingFileAndSetting(string yaml, string expected)
    {
        var file = Write(yaml);

        Assert.False(ServerCommandLine.TryParse(["--manifests", "m", "--config", file], () => false, new Dictionary<string, string>(), out _, out var error));

        Assert.StartsWith("kubedns: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, file), error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void MissingConfigFile_NamesIt()
    {
        Assert.False(ServerCommandLine.TryParse(["--manifests", "m", "--config", "/nonexistent/kubedns.yaml"], () => false, new Dictionary<string, string>(), out _, out var error));

        Assert.StartsWith("kubedns: --config /nonexistent/kubedns.yaml:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadEnvironmentValue_NamesTheVariable_OthersAreIgnored()
    {
        Assert.False(ServerCommandLine.TryParse(["--manifests", "m"], () => false, new Dictionary<string, string> { ["KUBEDNS_MAX_UDP_SIZE"] = "9" }, out _, out var error));
        Assert.Equal("kubedns: KUBEDNS_MAX_UDP_SIZE: '9' is not a whole number from 512 to 65507", error);

        // Variables that are no flag (Kubernetes injects KUBEDNS_PORT for a Service named kubedns) are not ours.
        Parse(["--manifests", "m"], new() { ["KUBEDNS_PORT"] = "tcp://10.96.0.10:53", ["KUBEDNS_SERVICE_HOST"] = "10.96.0.10" });
    }

    [Fact]
    public void ManifestsFromTheEnvironment_SatisfyTheNeedForClusterState()
    {
        var options = Parse([], new() { ["KUBEDNS_MANIFESTS"] = "/a,/b" });

        Assert.Equal(["/a", "/b"], options.Manifests);
    }

    private static ServerOptions Parse(string[] args, Dictionary<string, string> environment)
    {
        Assert.True(ServerCommandLine.TryParse(args, () => false, environment, out var options, out var error), error);
        return options;
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, "kubedns.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
