namespace KubeDns.Cluster.Manifests;

/// <summary>
/// Size and modification time of a file, to tell whether it needs reading again. Symbolic links are followed
/// to the final target: in a mounted ConfigMap every file is a link through <c>..data</c>, and an update swaps
/// the folder behind the link, leaving the link itself untouched.
/// </summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    public static FileStamp Of(string path)
    {
        try
        {
            FileSystemInfo info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            }

            return info is FileInfo { Exists: true } file ? new FileStamp(file.Length, file.LastWriteTimeUtc) : default;
        }
        catch (IOException)
        {
            // A link loop or a vanishing file: an empty stamp forces a read, which reports the real problem.
            return default;
        }
    }
}
