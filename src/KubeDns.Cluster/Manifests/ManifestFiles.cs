using System.IO.Enumeration;

namespace KubeDns.Cluster.Manifests;

/// <summary>A configured manifest path: a single file, or a folder read recursively.</summary>
internal sealed record ManifestRoot(string FullPath, bool IsDirectory);

/// <summary>Finds the manifest files under the configured paths.</summary>
internal static class ManifestFiles
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>
    /// Hidden entries are skipped (the default): editors' swap files, and in a mounted ConfigMap the
    /// <c>..data</c> / <c>..2024_..</c> folders that would otherwise hold a second copy of every file.
    /// </summary>
    private static readonly EnumerationOptions Recursive = new() { RecurseSubdirectories = true, IgnoreInaccessible = true };

    /// <summary>Resolves the configured paths; a path that does not exist is a configuration error.</summary>
    public static IReadOnlyList<ManifestRoot> ResolveRoots(IEnumerable<string> paths)
    {
        var roots = new List<ManifestRoot>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                roots.Add(new ManifestRoot(Path.TrimEndingDirectorySeparator(full), IsDirectory: true));
            }
            else if (File.Exists(full))
            {
                roots.Add(new ManifestRoot(full, IsDirectory: false));
            }
            else
            {
                throw new FileNotFoundException($"Manifest path '{path}' does not exist (expected a file or a folder).", full);
            }
        }

        return roots;
    }

    public static bool IsManifestFile(ReadOnlySpan<char> path)
    {
        foreach (var extension in Extensions)
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every manifest file under the roots, deduplicated, in ordinal order (the order that decides which file
    /// wins when two declare the same object). A root that has vanished contributes nothing.
    /// </summary>
    public static IReadOnlyList<string> Enumerate(IReadOnlyList<ManifestRoot> roots)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            if (!root.IsDirectory)
            {
                // A file named explicitly is read whatever its extension.
                if (File.Exists(root.FullPath))
                {
                    files.Add(root.FullPath);
                }

                continue;
            }

            try
            {
                foreach (var file in FilesUnder(root.FullPath))
                {
                    files.Add(file);
                }
            }
            catch (DirectoryNotFoundException)
            {
                // Removed while running: its files are gone, which the caller sees as deletions.
            }
        }

        return [.. files];
    }

    /// <summary>
    /// Linked files are read (a mounted ConfigMap is all links), but linked folders are not entered: .NET would
    /// follow them, and a link to a parent folder would make the walk explode.
    /// </summary>
    private static FileSystemEnumerable<string> FilesUnder(string folder) =>
        new(folder, (ref FileSystemEntry entry) => entry.ToFullPath(), Recursive)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && IsManifestFile(entry.FileName),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
}
