using DnsClient;
using KubeDns.Testing.FakeApi;
using static KubeDns.Tests.Integration.Kubernetes.ClusterObjects;

namespace KubeDns.Tests.Integration.Kubernetes;

/// <summary>
/// The server process when the API server is away: SERVFAIL rather than NXDOMAIN until the first sync; after
/// it, the last state keeps being served; a relist after 410 removes what vanished meanwhile.
/// </summary>
public sealed class ApiOutageTests : IAsyncLifetime
{
    private const string Web = "web.default.svc.cluster.local";
    private const string Unknown = "nope.default.svc.cluster.local";
    private FakeCluster _cluster = null!;

    private FakeApiServer Api => _cluster.Api;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ApiDownAtStart_ServfailUntilTheApiAnswersThenAnswersAndNxdomain()
    {
        Api.Add(Service("default", "web", "10.96.8.1"));
        await Api.StopAsync();

        using var server = _cluster.StartServer(startupTimeout: 1); // serves after the 1 s startup timeout
        var dns = new DnsProbe(server);

        Assert.Equal(DnsHeaderResponseCode.ServerFailure, (await dns.AskAsync(Unknown)).Code);
        Assert.Equal(DnsHeaderResponseCode.ServerFailure, (await dns.AskAsync(Web)).Code);
        Assert.Contains("Not every kind synced within", server.Output, StringComparison.Ordinal);

        await Api.StartAsync();

        await dns.UntilAddressesAsync(Web, "10.96.8.1");
        await dns.UntilCodeAsync(Unknown, DnsHeaderResponseCode.NotExistentDomain);
        Assert.Equal(1, Lines(server, "kubernetes/services: the API server is unreachable", "not ready"));
    }

    [Fact]
    public async Task ApiDownAfterSync_AnswersUnchangedAndUnknownNamesStayNxdomain()
    {
        Api.Add(Service("default", "web", "10.96.8.1"));
        using var server = _cluster.StartServer();
        var dns = new DnsProbe(server);
        Assert.Equal(["10.96.8.1"], (await dns.AskAsync(Web)).Addresses);

        await Api.StopAsync();

        // Wait until the server has seen the API refuse it (it has retried by then), asking all along.
        await dns.UntilAsync(Web, _ => Lines(server, "the API server is unreachable", "Connection refused") >= 3, "the refused reconnects");
        var web = await dns.AskAsync(Web);
        Assert.Equal(DnsHeaderResponseCode.NoError, web.Code);
        Assert.Equal(["10.96.8.1"], web.Addresses);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync(Unknown)).Code);
        Assert.Equal(1, Lines(server, "kubernetes/services: the API server is unreachable", "Connection refused", "serving the last state"));
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task Expired_RelistRemovesAServiceDeletedWhileDisconnected()
    {
        Api.Add(Service("default", "web", "10.96.8.1"));
        Api.Add(Service("default", "old", "10.96.8.2"));
        using var server = _cluster.StartServer();
        var dns = new DnsProbe(server);
        Assert.Equal(["10.96.8.2"], (await dns.AskAsync("old.default.svc.cluster.local")).Addresses);

        await Api.StopAsync();
        Api.Delete(ApiKind.Services, "default", "old");
        Api.Update(Service("default", "web", "10.96.8.3"));
        Api.ExpireHistory(); // the server's resourceVersion is compacted away: its watch gets 410 and it must relist
        await Api.StartAsync();

        await dns.UntilCodeAsync("old.default.svc.cluster.local", DnsHeaderResponseCode.NotExistentDomain);
        await dns.UntilAddressesAsync(Web, "10.96.8.3");
        Assert.Equal(2, Api.ListRequests(ApiKind.Services));
    }

    private static int Lines(ServerProcess server, params string[] parts) =>
        server.Output.Split('\n').Count(line => parts.All(part => line.Contains(part, StringComparison.Ordinal)));
}
