using DnsClient;
using KubeDns.Testing.FakeApi;
using static KubeDns.Tests.Integration.Kubernetes.ClusterObjects;

namespace KubeDns.Tests.Integration.Kubernetes;

/// <summary><c>--namespaces</c> and <c>--labels</c> restrict what the server process serves from the API.</summary>
public sealed class ApiFilterTests : IAsyncLifetime
{
    private FakeCluster _cluster = null!;

    private FakeApiServer Api => _cluster.Api;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task NamespacesAndLabels_ServeOnlyWhatTheyAdmit()
    {
        Api.Add(Labelled("team-a", "web", "10.96.9.1", "web"));
        Api.Add(Labelled("team-a", "db", "10.96.9.2", "db"));
        Api.Add(Labelled("team-b", "web", "10.96.9.3", "web"));

        using var server = _cluster.StartServer(extra: ["--namespaces", "team-a,team-c", "--labels", "app=web"]);
        var dns = new DnsProbe(server);

        Assert.Equal(["10.96.9.1"], (await dns.AskAsync("web.team-a.svc.cluster.local")).Addresses);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync("db.team-a.svc.cluster.local")).Code);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync("web.team-b.svc.cluster.local")).Code);
        Assert.All(Api.Requests.Where(r => r.Kind == ApiKind.Services), request => Assert.Equal("app=web", request.QueryValue("labelSelector")));

        Api.Add(Labelled("team-b", "api", "10.96.9.4", "web"));
        Api.Add(Labelled("team-c", "api", "10.96.9.5", "web"));
        await dns.UntilAddressesAsync("api.team-c.svc.cluster.local", "10.96.9.5");
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync("api.team-b.svc.cluster.local")).Code);
    }
}
