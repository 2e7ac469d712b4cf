using k8s;
using k8s.Models;
using KubeDns.ProxyRules.Hosting;
using KubeDns.ProxyRules.Tests.Support;
using KubeDns.Testing.FakeApi;

namespace KubeDns.ProxyRules.Tests;

/// <summary>The command line: flags and their errors, bad manifests reported without blocking the rest, the API source.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "--mode", "ipvs", "--manifests", "x" }, "--mode: 'ipvs' is not iptables or nftables")]
    [InlineData(new[] { "--manifests", "x", "--iptables-layout", "sep" }, "--iptables-layout: 'sep' is not auto, kube-proxy or compact")]
    [InlineData(new[] { "--manifests", "x", "--cluster-cidr", "10.0.0.1/8" }, "--cluster-cidr: '10.0.0.1/8' is not a CIDR")]
    [InlineData(new[] { "--manifests", "x", "--node-ip", "node1" }, "--node-ip: 'node1' is not an IP address")]
    [InlineData(new[] { "--manifests", "x", "--min-sync-period", "soon" }, "--min-sync-period: 'soon' is not a duration")]
    [InlineData(new[] { "--manifests", "x", "--kubeconfig", "k" }, "choose one source")]
    [InlineData(new[] { "--apply" }, "choose one source")]
    [InlineData(new[] { "--manifests" }, "--manifests needs a value")]
    [InlineData(new[] { "--manifests", "x", "--flush" }, "unknown flag '--flush'")]
    [InlineData(new[] { "--manifests", "x", "--cluster-cidr", "10.0.0.0/8", "--cluster-cidr", "10.244.0.0/16" }, "'10.244.0.0/16' is a second IPv4 CIDR")]
    [InlineData(new[] { "--manifests", "x", "--full-sync-period", "720h" }, "--full-sync-period: '720h' is longer than 168h")]
    [InlineData(new[] { "--manifests", "x", "--min-sync-period", "1e300s" }, "--min-sync-period: '1e300s' is not a duration")]
    public void BadFlags_AreErrorsNamingTheFlag(string[] args, string expected) =>
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => ProxyRulesCommandLine.Parse(args)).Message, StringComparison.Ordinal);

    [Fact]
    public void Flags_AreParsed()
    {
        var options = ProxyRulesCommandLine.Parse(["--manifests", "a", "--manifests", "b", "--mode", "nftables", "--family", "dual", "--cluster-cidr", "10.244.0.0/16", "--cluster-cidr", "fd00:10::/64",
            "--node-ip", "192.168.0.2", "--node-name", "node1", "--masquerade-all", "--apply", "--watch", "--min-sync-period", "500ms", "--full-sync-period", "5m", "--sync-timeout", "90s"]);

        Assert.Equal(["a", "b"], options.Manifests);
        Assert.Equal(RuleMode.Nftables, options.Mode);
        Assert.Equal(2, options.Families.Count);
        Assert.Equal(["10.244.0.0/16", "fd00:10::/64"], options.ClusterCidrs);
        Assert.True(options.MasqueradeAll && options.Apply && options.Watch);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.MinSyncGap);
        Assert.Equal(TimeSpan.FromMinutes(5), options.FullSyncPeriod);
        Assert.Equal(TimeSpan.FromSeconds(90), options.SyncTimeout);
    }

    [Fact]
    public void Help_PrintsTheUsage_AndSucceeds()
    {
        var (code, output) = Commands.Run("dotnet", ProxyRulesProcess.Dll, "--help");

        Assert.Equal(0, code);
        Assert.StartsWith("usage: kubedns-proxy-rules", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadManifest_IsReportedAndSkipped_TheOtherFilesStillGetRules()
    {
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        File.WriteAllText(Path.Combine(manifests.Path, "broken.yaml"), """
            apiVersion: v1
            kind: Service
            metadata: {name: broken, namespace: shop}
            spec: {clusterIP: 10.96.0.300, ports: [{port: 80}]}
            """);

        var (code, output) = Commands.Run("dotnet", ProxyRulesProcess.Dll, "--manifests", manifests.Path);

        Assert.Equal(0, code);
        Assert.Contains("broken.yaml", output, StringComparison.Ordinal);
        Assert.Contains("spec.clusterIPs: '10.96.0.300' is not an IP address", output, StringComparison.Ordinal);
        Assert.Contains("-j KUBE-SVC-", output, StringComparison.Ordinal);
        Assert.Contains("shop/web:http cluster IP", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromTheApi_TheRulesEqualThoseFromTheSameObjectsAsManifests()
    {
        var golden = Path.Combine(Commands.RepositoryRoot(), "tests", "KubeDns.ProxyRules.Tests", "Golden", "overall.yaml");
        await using var api = await FakeApiServer.StartNewAsync();
        foreach (var item in ManifestObjects.LoadAll(File.ReadAllText(golden)).OfType<IKubernetesObject<V1ObjectMeta>>())
        {
            api.Add(item);
        }

        var folder = Directory.CreateTempSubdirectory("kdr-api-").FullName;
        try
        {
            string[] node = ["--cluster-cidr", "10.0.0.0/8", "--node-name", "node1"];
            var fromApi = Commands.Run("dotnet", [ProxyRulesProcess.Dll, "--kubeconfig", api.WriteKubeconfig(folder), .. node]);
            var fromManifests = Commands.Run("dotnet", [ProxyRulesProcess.Dll, "--manifests", golden, .. node]);

            Assert.True(fromApi.Code == 0, fromApi.Output);
            Assert.Contains("KUBE-FW-NUKIZ6OKUXPJNT4C", fromApi.Output, StringComparison.Ordinal);
            Assert.Equal(IptablesDump.Normalise(fromManifests.Output), IptablesDump.Normalise(fromApi.Output));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
