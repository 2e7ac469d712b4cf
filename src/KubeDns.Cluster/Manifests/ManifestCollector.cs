namespace KubeDns.Cluster.Manifests;

/// <summary>
/// What one file's parse has read so far. Each object passes <paramref name="admit"/> as it is read: the
/// catalog drops pod names there and swaps in the file's earlier instance when the object did not change, so
/// the new copy is garbage at once and dies young, instead of living until the whole file is read and being
/// promoted to the old generation first (a rewrite of every file grew the heap by ~70 MiB of such copies at
/// 10,000 services; issue 14).
/// </summary>
internal sealed class ManifestCollector(Func<ManifestObject, ManifestObject>? admit = null)
{
    private readonly List<ManifestObject> _objects = [];
    private readonly List<IgnoredDocument> _ignored = [];

    public void Add(ManifestObject item) => _objects.Add(admit is null ? item : admit(item));

    public void Ignore(IgnoredDocument document) => _ignored.Add(document);

    public ManifestParseResult Result() => new(_objects, _ignored, null);
}
