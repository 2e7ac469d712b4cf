using DnsClient;
using KubeDns.Testing.FakeApi;
using static KubeDns.Tests.Integration.Kubernetes.ClusterObjects;

namespace KubeDns.Tests.Integration.Kubernetes;

/// <summary>The server process watching a (fake) API server through a kubeconfig: changes of each kind show in DNS answers.</summary>
public sealed class ApiWatchTests : IAsyncLifetime
{
    private FakeCluster _cluster = null!;

    private FakeApiServer Api => _cluster.Api;

    public async Task InitializeAsync() => _cluster = await FakeCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task InitialSync_AnswersFromTheFirstQuery()
    {
        Api.Add(Service("default", "web", "10.96.7.1"));
        Api.Add(Namespace("default"));

        using var server = _cluster.StartServer();
        var dns = new DnsProbe(server);

        // Start-up waited for every kind's first list: no polling needed.
        var web = await dns.AskAsync("web.default.svc.cluster.local");
        Assert.Equal(DnsHeaderResponseCode.NoError, web.Code);
        Assert.Equal(["10.96.7.1"], web.Addresses);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync("nope.default.svc.cluster.local")).Code);
        Assert.Contains("kubernetes/services: synced 1 objects", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Not every kind synced", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_AddModifyDelete_ChangeTheAnswers()
    {
        using var server = _cluster.StartServer();
        var dns = new DnsProbe(server);
        const string Name = "api.default.svc.cluster.local";
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync(Name)).Code);

        Api.Add(Service("default", "api", "10.96.7.2"));
        await dns.UntilAddressesAsync(Name, "10.96.7.2");
        Api.Update(Service("default", "api", "10.96.7.3"));
        await dns.UntilAddressesAsync(Name, "10.96.7.3");
        Api.Delete(ApiKind.Services, "default", "api");
        await dns.UntilCodeAsync(Name, DnsHeaderResponseCode.NotExistentDomain);
    }

    [Fact]
    public async Task EndpointSlice_AddModifyDelete_ChangeTheHeadlessAnswers()
    {
        Api.Add(Headless("data", "db"));
        using var server = _cluster.StartServer();
        var dns = new DnsProbe(server);
        const string Name = "db.data.svc.cluster.local";
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync(Name)).Code); // no ready endpoints yet, as CoreDNS

        Api.Add(Slice("data", "db-1", "db", "10.244.2.10"));
        await dns.UntilAddressesAsync(Name, "10.244.2.10");
        Api.Update(Slice("data", "db-1", "db", "10.244.2.10", "10.244.2.11"));
        await dns.UntilAddressesAsync(Name, "10.244.2.10", "10.244.2.11");
        Api.Add(Slice("data", "db-2", "db", "10.244.2.12"));
        await dns.UntilAddressesAsync(Name, "10.244.2.10", "10.244.2.11", "10.244.2.12");
        Api.Delete(ApiKind.EndpointSlices, "data", "db-1");
        await dns.UntilAddressesAsync(Name, "10.244.2.12");
        Api.Delete(ApiKind.EndpointSlices, "data", "db-2");
        await dns.UntilCodeAsync(Name, DnsHeaderResponseCode.NotExistentDomain);
    }

    [Fact]
    public async Task Namespace_AddDelete_ChangeWhetherItsNamesExist()
    {
        using var server = _cluster.StartServer();
        var dns = new DnsProbe(server);
        const string Name = "team-x.svc.cluster.local";
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync(Name)).Code);

        Api.Add(Namespace("team-x"));
        var exists = await dns.UntilCodeAsync(Name, DnsHeaderResponseCode.NoError);
        Assert.Empty(exists.Addresses);
        Api.Delete(ApiKind.Namespaces, null, "team-x");
        await dns.UntilCodeAsync(Name, DnsHeaderResponseCode.NotExistentDomain);
    }

    [Fact]
    public async Task Pod_AddModifyDelete_ChangeVerifiedPodAnswers()
    {
        Api.Add(Namespace("default"));
        using var server = _cluster.StartServer(extra: ["--pods", "verified"]);
        var dns = new DnsProbe(server);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, (await dns.AskAsync("10-244-1-10.default.pod.cluster.local")).Code);

        Api.Add(Pod("default", "api-0", "10.244.1.10"));
        await dns.UntilAddressesAsync("10-244-1-10.default.pod.cluster.local", "10.244.1.10");
        Api.Update(Pod("default", "api-0", "10.244.1.11"));
        await dns.UntilAddressesAsync("10-244-1-11.default.pod.cluster.local", "10.244.1.11");
        await dns.UntilCodeAsync("10-244-1-10.default.pod.cluster.local", DnsHeaderResponseCode.NotExistentDomain);
        Api.Delete(ApiKind.Pods, "default", "api-0");
        await dns.UntilCodeAsync("10-244-1-11.default.pod.cluster.local", DnsHeaderResponseCode.NotExistentDomain);
    }
}
