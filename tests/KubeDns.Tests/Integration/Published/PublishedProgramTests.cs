using KubeDns.Testing.FakeApi;
using KubeDns.Tests.Integration.Kubernetes;
using static KubeDns.Tests.Integration.Kubernetes.ClusterObjects;

namespace KubeDns.Tests.Integration.Published;

/// <summary>
/// The published, Native AOT program (trimmed: what reflection needed and the trimmer removed fails only
/// here): on the demo manifests it answers exactly as the development build does (dig against both), and from
/// an API server it lists, watches and follows changes.
/// </summary>
public sealed partial class PublishedProgramTests
{
    private static readonly string[][] Questions =
    [
        ["web.default.svc.cluster.local", "A"],
        ["web.default.svc.cluster.local", "AAAA"],
        ["_http._tcp.web.default.svc.cluster.local", "SRV"],
        ["-x", "10.96.0.10"],
        ["dns-version.cluster.local", "TXT"],
        ["nothing.default.svc.cluster.local", "A"],
        ["cluster.local", "SOA"],
    ];

    [Fact]
    public void Published_IsANativeExecutable_WithNoAssembliesBesideIt()
    {
        var folder = Path.GetDirectoryName(PublishedProgram.Path)!;

        Assert.Equal("\u007fELF", File.ReadAllText(PublishedProgram.Path)[..4]);
        Assert.Empty(Directory.GetFiles(folder, "*.dll"));
    }

    [Fact]
    public void OnTheDemoManifests_ItAnswersAsTheDevelopmentBuildDoes()
    {
        using var published = ServerProcess.Start(["--manifests", RepositoryPaths.DemoManifests], program: PublishedProgram.Path);
        using var development = ServerProcess.StartOnDemo();

        foreach (var question in Questions)
        {
            var expected = Dig(development, question);
            Assert.NotEqual("", expected);
            Assert.Equal(expected, Dig(published, question));
        }

        Assert.Contains("Loaded 26 objects from 7 manifest files (0 with errors)", published.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromAnApiServer_ItListsWatchesAndFollowsChanges()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Add(Namespace("default"));
        cluster.Api.Add(Service("default", "web", "10.96.7.1"));

        using var server = cluster.StartServer(PublishedProgram.Path);
        var dns = new DnsProbe(server);
        await dns.UntilAddressesAsync("web.default.svc.cluster.local", "10.96.7.1");

        cluster.Api.Add(Service("default", "api", "10.96.7.2"));
        await dns.UntilAddressesAsync("api.default.svc.cluster.local", "10.96.7.2");
        cluster.Api.Add(Headless("data", "db"));
        cluster.Api.Add(Slice("data", "db-1", "db", "10.244.1.5"));
        await dns.UntilAddressesAsync("db.data.svc.cluster.local", "10.244.1.5");
        Assert.Contains("kubernetes/services: synced 1 objects", server.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The sections as dig prints them, without what differs between two servers by design: the header's id,
    /// and the SOA serial (the time the zone last changed, RFC 1035 3.3.13).
    /// </summary>
    private static string Dig(ServerProcess server, string[] question)
    {
        var output = ExternalCommand.Check("dig", ["@127.0.0.1", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+noall", "+answer", "+authority", "+comments", .. question]);
        var lines = output.Split('\n').Where(l => !l.Contains("->>HEADER<<-", StringComparison.Ordinal));
        return SoaSerial().Replace(string.Join('\n', lines), "${1}SERIAL");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(\sSOA\s+\S+\s+\S+\s+)\d+")]
    private static partial System.Text.RegularExpressions.Regex SoaSerial();
}
