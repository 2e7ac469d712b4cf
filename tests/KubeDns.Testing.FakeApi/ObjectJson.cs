using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// Turns a model object from a test into a <see cref="StoredObject"/>, doing to its metadata what the API
/// server does on a write: the resourceVersion is the server's, uid and creationTimestamp are kept from
/// the stored object (or invented on create), a namespaced object without a namespace lands in "default".
/// </summary>
internal static class ObjectJson
{
    public static StoredObject Store(
        KindInfo kind,
        IKubernetesObject<V1ObjectMeta> item,
        long resourceVersion,
        StoredObject? existing,
        DateTimeOffset now)
    {
        var name = item.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"A {kind.KindName} needs metadata.name.", nameof(item));
        }

        var node = JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
        node.Remove("kind");
        node.Remove("apiVersion");
        var metadata = node["metadata"]!.AsObject();

        var ns = kind.Namespaced ? NamespaceOf(item) : "";
        if (kind.Namespaced)
        {
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        var uid = existing?.Uid ?? item.Metadata!.Uid ?? Guid.NewGuid().ToString();
        var created = existing?.CreationTimestamp
            ?? (item.Metadata!.CreationTimestamp is { } given ? Timestamp(given) : Timestamp(now.UtcDateTime));
        metadata["uid"] = uid;
        metadata["creationTimestamp"] = created;
        metadata["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);

        var labels = item.Metadata!.Labels is { } l
            ? new Dictionary<string, string>(l, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return new StoredObject(
            KeyOf(ns, name), ns, name, labels, resourceVersion, uid, created, Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    /// <summary>The same object with a new resourceVersion: what a DELETED event carries.</summary>
    public static StoredObject WithResourceVersion(StoredObject stored, long resourceVersion)
    {
        var node = JsonNode.Parse(stored.Json)!.AsObject();
        node["metadata"]!["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        return stored with { ResourceVersion = resourceVersion, Json = Encoding.UTF8.GetBytes(node.ToJsonString()) };
    }

    public static string NamespaceOf(IKubernetesObject<V1ObjectMeta> item) =>
        string.IsNullOrEmpty(item.Metadata?.NamespaceProperty) ? "default" : item.Metadata.NamespaceProperty;

    /// <summary>The etcd-like key: lists come back sorted by it, and continue tokens point into it.</summary>
    public static string KeyOf(string ns, string name) => ns.Length == 0 ? name : ns + "/" + name;

    private static string Timestamp(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
