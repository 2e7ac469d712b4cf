namespace KubeDns.Cluster.Kubernetes;

/// <summary>The <c>type</c> of a watch event line (apimachinery's watch.EventType).</summary>
internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}
