using System.Globalization;
using k8s;
using k8s.Models;

namespace KubeDns.Testing.FakeApi;

/// <summary>Writes by the test: each takes the next global resourceVersion and reaches open watches.</summary>
public sealed partial class FakeApiServer
{
    /// <summary>The last resourceVersion handed out (what a list now returns).</summary>
    public string ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Creates an object (V1Service, V1EndpointSlice, V1Namespace or V1Pod); returns its resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">It already exists.</exception>
    public string Add(IKubernetesObject<V1ObjectMeta> item) => Write(item, mustExist: false);

    /// <summary>Replaces an existing object (matched by namespace and name); returns its new resourceVersion.</summary>
    /// <exception cref="InvalidOperationException">It does not exist.</exception>
    public string Update(IKubernetesObject<V1ObjectMeta> item) => Write(item, mustExist: true);

    /// <summary>Deletes the object with this namespace and name; returns the resourceVersion of the deletion.</summary>
    /// <exception cref="InvalidOperationException">It does not exist.</exception>
    public string Delete(IKubernetesObject<V1ObjectMeta> item)
    {
        var kind = KindInfo.Of(item);
        return Delete(kind.Kind, kind.Namespaced ? ObjectJson.NamespaceOf(item) : null, item.Metadata?.Name ?? "");
    }

    /// <summary>Deletes by kind, namespace (null for namespaces) and name.</summary>
    public string Delete(ApiKind kind, string? ns, string name)
    {
        try
        {
            lock (_gate)
            {
                var store = Store(kind);
                var key = ObjectJson.KeyOf(store.Info.Namespaced ? ns ?? "default" : "", name);
                var index = KindStore.Find(store.Objects, key);
                if (index < 0)
                {
                    throw new InvalidOperationException($"{store.Info.Resource} \"{key}\" does not exist.");
                }

                var rv = ++_resourceVersion;
                var last = ObjectJson.WithResourceVersion(store.Objects[index], rv);
                store.Objects = store.Objects.RemoveAt(index);
                Record(store, new StoredEvent(EventTypes.Deleted, rv, last, Previous: null));
                return last.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            Pulse();
        }
    }

    /// <summary>How many objects of a kind exist.</summary>
    public int Count(ApiKind kind)
    {
        lock (_gate)
        {
            return Store(kind).Objects.Count;
        }
    }

    private string Write(IKubernetesObject<V1ObjectMeta> item, bool mustExist)
    {
        var kind = KindInfo.Of(item);
        try
        {
            lock (_gate)
            {
                var store = Store(kind.Kind);
                var key = ObjectJson.KeyOf(kind.Namespaced ? ObjectJson.NamespaceOf(item) : "", item.Metadata?.Name ?? "");
                var index = KindStore.Find(store.Objects, key);
                if (mustExist != index >= 0)
                {
                    throw new InvalidOperationException(
                        $"{kind.Resource} \"{key}\" {(mustExist ? "does not exist" : "already exists")}.");
                }

                var previous = index >= 0 ? store.Objects[index] : null;
                var rv = _resourceVersion + 1;
                var stored = ObjectJson.Store(kind, item, rv, previous, _time.GetUtcNow());
                _resourceVersion = rv;
                store.Objects = previous is null ? store.Objects.Insert(~index, stored) : store.Objects.SetItem(index, stored);
                Record(store, new StoredEvent(previous is null ? EventTypes.Added : EventTypes.Modified, rv, stored, previous));
                return stored.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            Pulse();
        }
    }

    /// <summary>Appends to the history and hands the change to every open watch of the kind (under the lock).</summary>
    private static void Record(KindStore store, StoredEvent change)
    {
        store.History.Add(change);
        foreach (var watch in store.Watches)
        {
            watch.Offer(change);
        }
    }
}
