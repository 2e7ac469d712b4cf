using ARSoft.Tools.Net.Dns;
using KubeDns.Hosting;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Resolution;

public sealed class PodAnswerTests
{
    [Fact]
    public void Insecure_AnswersAnyAddressInAnExistingNamespace()
    {
        var cluster = StandardCluster.Create();

        var answer = cluster.Resolver.Resolve("10-1-2-3.default.pod.cluster.local", RecordType.A);

        Assert.Equal("10.1.2.3", Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address.ToString());
        Assert.True(answer.IsAuthoritiveAnswer);
    }

    [Fact]
    public void Insecure_IPv6PodName_AnswersAaaa()
    {
        var cluster = StandardCluster.Create();

        var answer = cluster.Resolver.Resolve("fd00--1.default.pod.cluster.local", RecordType.Aaaa);

        Assert.Equal("fd00::1", Assert.IsType<AaaaRecord>(Assert.Single(answer.AnswerRecords)).Address.ToString());
    }

    [Fact]
    public void Insecure_OtherType_IsNoData()
    {
        var answer = StandardCluster.Create().Resolver.Resolve("10-1-2-3.default.pod.cluster.local", RecordType.Aaaa);

        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Empty(answer.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(answer.AuthorityRecords));
    }

    [Theory]
    [InlineData("10-1-2-3.nowhere.pod.cluster.local")]
    [InlineData("10-1-2-300.default.pod.cluster.local")]
    [InlineData("not-an-ip.default.pod.cluster.local")]
    [InlineData("x.10-1-2-3.default.pod.cluster.local")]
    public void Insecure_BadNameOrUnknownNamespace_IsNxDomain(string name)
    {
        var answer = StandardCluster.Create().Resolver.Resolve(name, RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, answer.ReturnCode);
    }

    [Fact]
    public void Disabled_IsNxDomain()
    {
        var cluster = StandardCluster.Create(new ServerOptions { Pods = PodsMode.Disabled });

        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("10-1-2-3.default.pod.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("10-244-1-10.default.pod.cluster.local", RecordType.A).ReturnCode);
    }

    [Fact]
    public void Verified_AnswersOnlyAddressesOfPodsInThatNamespace()
    {
        var cluster = StandardCluster.Create(new ServerOptions { Pods = PodsMode.Verified });

        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("10-244-1-10.default.pod.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("10-1-2-3.default.pod.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("10-244-1-10.prod.pod.cluster.local", RecordType.A).ReturnCode);

        // The pod's IPv4 address spelled IPv4-mapped (::ffff:10.244.1.10) names no pod, as in CoreDNS.
        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("--ffff-af4-10a.default.pod.cluster.local", RecordType.Aaaa).ReturnCode);

        cluster.Delete(Cluster.Model.ObjectKind.Pod, "default", "web-7f9c-abcde");

        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("10-244-1-10.default.pod.cluster.local", RecordType.A).ReturnCode);
    }

    [Fact]
    public void Verified_IPReusedByANewPod_StaysAnsweredUntilBothAreGone()
    {
        var cluster = new TestCluster(new ServerOptions { Pods = PodsMode.Verified })
            .Apply(TestCluster.Pod("default", "old", "10.244.9.9"), TestCluster.Pod("default", "new", "10.244.9.9"), TestCluster.Pod("prod", "other", "10.244.9.9"));

        cluster.Delete(Cluster.Model.ObjectKind.Pod, "default", "old");
        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("10-244-9-9.default.pod.cluster.local", RecordType.A).ReturnCode);

        cluster.Delete(Cluster.Model.ObjectKind.Pod, "default", "new");
        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("10-244-9-9.default.pod.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("10-244-9-9.prod.pod.cluster.local", RecordType.A).ReturnCode);
    }

    [Fact]
    public void Verified_PodMovedToAnotherAddress_AnswersOnlyTheNewOne()
    {
        var cluster = new TestCluster(new ServerOptions { Pods = PodsMode.Verified })
            .Apply(TestCluster.Pod("default", "p", "10.244.9.1"))
            .Apply(TestCluster.Pod("default", "p", "fd00::9"));

        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("10-244-9-1.default.pod.cluster.local", RecordType.A).ReturnCode);
        var answer = cluster.Resolver.Resolve("fd00--9.default.pod.cluster.local", RecordType.Aaaa);
        Assert.Equal("fd00::9", Assert.IsType<AaaaRecord>(Assert.Single(answer.AnswerRecords)).Address.ToString());
        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("0-0-0-0.default.pod.cluster.local", RecordType.A).ReturnCode);
    }

    [Fact]
    public void Verified_DualStackPod_AnswersBothAddresses_UntilItGoes()
    {
        var pod = TestCluster.Pod("default", "dual", "10.244.9.2") with
        {
            IPs = System.Collections.Immutable.ImmutableArray.Create(
                System.Net.IPAddress.Parse("10.244.9.2"), System.Net.IPAddress.Parse("fd00::92"), System.Net.IPAddress.Parse("10.244.9.2")),
        };
        var cluster = new TestCluster(new ServerOptions { Pods = PodsMode.Verified }).Apply(pod);

        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("10-244-9-2.default.pod.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("fd00--92.default.pod.cluster.local", RecordType.Aaaa).ReturnCode);

        cluster.Delete(Cluster.Model.ObjectKind.Pod, "default", "dual").Apply(new Cluster.Model.NamespaceInfo("default"));

        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("10-244-9-2.default.pod.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("fd00--92.default.pod.cluster.local", RecordType.Aaaa).ReturnCode);
    }
}
