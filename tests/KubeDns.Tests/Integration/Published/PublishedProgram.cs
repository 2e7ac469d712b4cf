namespace KubeDns.Tests.Integration.Published;

/// <summary>
/// The program <c>dotnet publish src/KubeDns -c Release -o DIR</c> gives: <c>DIR/KubeDns</c>, Native AOT. CI
/// publishes it once before the tests and names the folder in <c>KUBEDNS_PUBLISHED</c>; without it the first
/// test that needs it publishes into a temporary folder (about two minutes: ILCompiler, clang).
/// </summary>
internal static class PublishedProgram
{
    private static readonly Lazy<string> Executable = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Executable.Value;

    private static string Find()
    {
        var folder = Environment.GetEnvironmentVariable("KUBEDNS_PUBLISHED");
        if (string.IsNullOrEmpty(folder))
        {
            folder = Directory.CreateTempSubdirectory("kubedns-published-").FullName;
            var project = System.IO.Path.Combine(RepositoryPaths.Root, "src", "KubeDns");
            var result = ExternalCommand.Run("dotnet", ["publish", project, "-c", "Release", "-o", folder], TimeSpan.FromMinutes(15));
            Assert.True(result.ExitCode == 0, "dotnet publish failed: " + result.StdErr + result.StdOut);
        }

        var executable = System.IO.Path.Combine(folder, "KubeDns");
        Assert.True(File.Exists(executable), $"no {executable}: the published program is missing");
        return executable;
    }
}
