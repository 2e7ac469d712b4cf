using ARSoft.Tools.Net.Dns;
using KubeDns.Cluster.Model;
using KubeDns.Tests.Support;
using static KubeDns.Tests.Support.TestCluster;

namespace KubeDns.Tests.Zone;

public sealed class ZoneStoreTests
{
    [Fact]
    public void OneSliceChange_TouchesOnlyThatServicesNames()
    {
        var cluster = new TestCluster();
        var objects = new List<object>();
        for (var i = 0; i < 2000; i++)
        {
            objects.Add(Service($"ns{i % 20}", $"svc{i}", [$"10.96.{i / 250}.{(i % 250) + 1}"], Port("http", 80)));
            objects.Add(Slice($"ns{i % 20}", $"svc{i}-1", $"svc{i}", [EndpointPort("http", 8080)], Endpoint($"10.244.{i / 250}.{(i % 250) + 1}")));
        }

        cluster.Apply([.. objects]);
        Assert.True(cluster.Zone.Current.NameCount > 4_000); // Each service's name and ClusterIP PTR (its port names have no nodes).

        cluster.Apply(Slice("ns7", "svc7-1", "svc7", [EndpointPort("http", 8080)], Endpoint("10.244.0.8"), Endpoint("10.244.200.1")));

        // The service's own names (service, the ClusterIP's PTR): a handful, not thousands.
        Assert.InRange(cluster.Zone.LastBatchNamesTouched, 1, 12);
        var answer = cluster.Resolver.Resolve("10-244-200-1.svc7.ns7.svc.cluster.local", RecordType.A);
        Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
        Assert.Equal("10.244.200.1", Assert.Single(answer.AnswerRecords.OfType<ARecord>()).Address.ToString());
        var pointer = cluster.Resolver.Resolve("1.200.244.10.in-addr.arpa", RecordType.Ptr);
        Assert.Equal("10-244-200-1.svc7.ns7.svc.cluster.local.", Assert.Single(pointer.AnswerRecords.OfType<PtrRecord>()).PointerDomainName.ToString());
    }

    [Fact]
    public void PublishedSnapshot_IsNotChangedByLaterBatches()
    {
        var cluster = StandardCluster.Create();
        var before = cluster.Zone.Current;
        var name = QueryBytes.EncodeName("web.default.svc.cluster.local");

        cluster.Delete(ObjectKind.Service, "default", "web");

        Assert.True(before.Find(name).Exists);
        Assert.False(cluster.Zone.Current.Find(name).Exists);
    }

    [Fact]
    public void SliceMovedToAnotherService_LeavesTheOldService()
    {
        var cluster = new TestCluster().Apply(
            Headless("default", "a", Port("http", 80)),
            Headless("default", "b", Port("http", 80)),
            Slice("default", "s", "a", [EndpointPort("http", 80)], Endpoint("10.244.0.1")));

        cluster.Apply(Slice("default", "s", "b", [EndpointPort("http", 80)], Endpoint("10.244.0.1")));

        Assert.Equal(ReturnCode.NxDomain, cluster.Resolver.Resolve("a.default.svc.cluster.local", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("b.default.svc.cluster.local", RecordType.A).ReturnCode);
    }

    [Fact]
    public void SliceBeforeItsService_IsUsedWhenTheServiceArrives()
    {
        var cluster = new TestCluster().Apply(Slice("default", "s", "late", [EndpointPort("http", 80)], Endpoint("10.244.0.1")));

        cluster.Apply(Headless("default", "late", Port("http", 80)));

        Assert.Equal(ReturnCode.NoError, cluster.Resolver.Resolve("late.default.svc.cluster.local", RecordType.A).ReturnCode);
    }

    [Fact]
    public void RemovingEverything_LeavesOnlyTheStaticNames()
    {
        var cluster = new TestCluster();
        var empty = cluster.Zone.Current.NameCount;
        cluster.Apply(Service("default", "web", ["10.96.0.20"], Port("http", 80)), new NamespaceInfo("default"));

        cluster.Delete(ObjectKind.Service, "default", "web").Delete(ObjectKind.Namespace, string.Empty, "default");

        Assert.Equal(empty, cluster.Zone.Current.NameCount);
    }

    [Fact]
    public void ConcurrentReaders_SeeWholeBatchesWhileWriterChurns()
    {
        var cluster = new TestCluster();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 2000; i++)
            {
                // Service and its slice arrive in one batch: a reader must never see the headless service without it.
                cluster.Apply(Headless("default", "flip", Port("http", 80)), Slice("default", "flip-1", "flip", [EndpointPort("http", 80)], Endpoint("10.244.0.1")));
                cluster.Zone.Apply([ClusterChange.Delete(ObjectKind.Service, new ObjectKey("default", "flip")), ClusterChange.Delete(ObjectKind.EndpointSlice, new ObjectKey("default", "flip-1"))]);
            }
        });

        var seen = new HashSet<ReturnCode>();
        while (!writer.IsCompleted)
        {
            var answer = cluster.Resolver.Resolve("flip.default.svc.cluster.local", RecordType.A);
            seen.Add(answer.ReturnCode);
            Assert.True(answer.ReturnCode == ReturnCode.NxDomain || answer.AnswerRecords.Count == 1);
        }

        stop.Cancel();
        Assert.Contains(ReturnCode.NxDomain, seen);
    }
}
