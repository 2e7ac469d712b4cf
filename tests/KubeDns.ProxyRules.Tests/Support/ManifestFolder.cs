namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>A temporary folder holding one manifest file; rewritten by <see cref="Write"/>, deleted on dispose.</summary>
internal sealed class ManifestFolder : IDisposable
{
    private ManifestFolder(string path) => Path = path;

    public string Path { get; }

    public static ManifestFolder With(string yaml)
    {
        var folder = new ManifestFolder(Directory.CreateTempSubdirectory("kdr-manifests-").FullName);
        folder.Write(yaml);
        return folder;
    }

    /// <summary>Replaces the manifest atomically (write aside, rename), as an editor or kubectl would leave it.</summary>
    public void Write(string yaml)
    {
        var file = System.IO.Path.Combine(Path, "cluster.yaml");
        File.WriteAllText(file + ".tmp", yaml);
        File.Move(file + ".tmp", file, overwrite: true);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
