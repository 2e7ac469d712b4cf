namespace KubeDns.Tests.Integration;

/// <summary>Where the built server and the repository's manifests are, found from the test's own folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string DemoManifests => Path.Combine(Root, "manifests", "demo");

    /// <summary>The server assembly, copied next to the tests by the project reference.</summary>
    public static string ServerAssembly => Path.Combine(AppContext.BaseDirectory, "KubeDns.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeDns.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KubeDns.sln not found above " + AppContext.BaseDirectory);
    }
}
