namespace KubeDns.Cluster.Model;

/// <summary>A Namespace, stripped to what DNS needs: that it exists.</summary>
public sealed record NamespaceInfo(string Name)
{
    public ObjectKey Key => new(string.Empty, Name);
}
