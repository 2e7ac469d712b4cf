namespace KubeDns.Cluster.Model;

/// <summary>The identity of a namespaced object: namespace and name (cluster-scoped objects use an empty namespace).</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? Name : Namespace + "/" + Name;
}
