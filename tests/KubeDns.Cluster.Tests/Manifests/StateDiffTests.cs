using System.Collections.Immutable;
using System.Net;
using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Tests.Manifests;

public sealed class StateDiffTests
{
    [Fact]
    public void Diff_EqualContentInNewRecords_IsNoChange()
    {
        var before = State(Service("a", "10.96.0.1"), new NamespaceInfo("x"));
        var after = State(Service("a", "10.96.0.1"), new NamespaceInfo("x"));

        Assert.Empty(StateDiff.Diff(before, after));
    }

    [Fact]
    public void KeepEqualInstances_HoldsTheDeliveredInstanceOfAnUnchangedObject_AndTheNewOneOfAChangedObject()
    {
        var before = State(Service("a", "10.96.0.1"), Service("b", "10.96.0.2"));
        var after = State(Service("a", "10.96.0.1"), Service("b", "10.96.0.9"), Service("c", "10.96.0.3"));
        var changedB = after[Key("b")];
        var newC = after[Key("c")];

        var kept = StateDiff.KeepEqualInstances(before, after);

        Assert.Same(before[Key("a")], kept[Key("a")]);
        Assert.Same(changedB, kept[Key("b")]);
        Assert.Same(newC, kept[Key("c")]);
    }

    [Fact]
    public void Diff_ChangedAndNewObjects_AreUpserts()
    {
        var before = State(Service("a", "10.96.0.1"));
        var after = State(Service("a", "10.96.0.2"), Service("b", "10.96.0.3"));

        var changes = StateDiff.Diff(before, after);

        Assert.Equal(["a", "b"], changes.Select(c => c.Key.Name));
        Assert.All(changes, c => Assert.False(c.IsDelete));
        Assert.Same(after[new StateKey(ObjectKind.Service, new ObjectKey("x", "a"))], changes[0].Value);
    }

    [Fact]
    public void Diff_VanishedObject_IsADelete()
    {
        var changes = StateDiff.Diff(State(Service("a", "10.96.0.1")), State());

        var change = Assert.Single(changes);
        Assert.True(change.IsDelete);
        Assert.Equal((ObjectKind.Service, new ObjectKey("x", "a")), (change.Kind, change.Key));
    }

    [Fact]
    public void Diff_Order_UpsertsNamespacesFirstAndDeletesNamespacesLast()
    {
        var before = State(new NamespaceInfo("old"), Service("gone", "10.96.0.9"));
        var after = State(Service("new", "10.96.0.1"), new NamespaceInfo("x"));

        var changes = StateDiff.Diff(before, after);

        Assert.Equal(
            [(ObjectKind.Namespace, false), (ObjectKind.Service, false), (ObjectKind.Service, true), (ObjectKind.Namespace, true)],
            changes.Select(c => (c.Kind, c.IsDelete)));
    }

    private static StateKey Key(string service) => new(ObjectKind.Service, new ObjectKey("x", service));

    private static Dictionary<StateKey, object> State(params object[] values) => values.ToDictionary(
        value => value switch
        {
            NamespaceInfo ns => new StateKey(ObjectKind.Namespace, ns.Key),
            ServiceInfo service => new StateKey(ObjectKind.Service, service.Key),
            _ => throw new ArgumentException("unexpected value", nameof(values)),
        });

    private static ServiceInfo Service(string name, string ip) => new(
        "x", name, ServiceKind.ClusterIP, ImmutableArray.Create(IPAddress.Parse(ip)), null, ImmutableArray<ServicePortInfo>.Empty, null, false);
}
