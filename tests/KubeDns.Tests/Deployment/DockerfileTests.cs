using System.Text.Json;
using KubeDns.Hosting;
using KubeDns.Tests.Integration;

namespace KubeDns.Tests.Deployment;

/// <summary>
/// The Dockerfile, checked without a Docker engine (none runs on our machines): what it copies exists, the
/// runtime stage is a chiseled image holding what the native executable needs and no .NET runtime, it runs as
/// non-root, it exposes the server's ports, and its entrypoint arguments are accepted by the server's parser.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    [Fact]
    public void BuildStage_CopiesOnlyWhatExists()
    {
        var sources = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.True(
            File.Exists(Path.Combine(RepositoryPaths.Root, source)) || Directory.Exists(Path.Combine(RepositoryPaths.Root, source)), $"{source} is missing"));
    }

    [Fact]
    public void RuntimeStage_IsChiseledRuntimeDepsAsNonRoot_ExposingTheServersPorts()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var runtime = stages[^1];

        // A Native AOT executable (Kestrel compiled in) needs glibc and OpenSSL, not the shared framework.
        Assert.Contains("mcr.microsoft.com/dotnet/runtime-deps:10.0", runtime, StringComparison.Ordinal);
        Assert.Contains("chiseled", runtime, StringComparison.Ordinal);
        Assert.Equal("USER app", Lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)));
        var exposed = Lines.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal)).Split(' ')[1..];
        var defaults = ServerCommandLine.Parse(["--manifests", "m"]);
        Assert.Contains("53/udp", exposed);
        Assert.Contains("53/tcp", exposed);
        foreach (var port in new[] { defaults.HealthListen!.Port, defaults.ReadyListen!.Port, defaults.MetricsListen!.Port })
        {
            Assert.Contains($"{port}/tcp", exposed);
        }
    }

    [Fact]
    public void EntrypointAndCommand_RunTheServerWithArgumentsItAccepts()
    {
        var entrypoint = JsonArray("ENTRYPOINT");
        var command = JsonArray("CMD");

        Assert.Equal(["/app/KubeDns"], entrypoint);
        Assert.True(ServerCommandLine.TryParse(command, () => false, new Dictionary<string, string>(), out var options, out var error), error);

        // The demo folder the command names is the one the image copies from the repository.
        Assert.Contains(Lines, l => l == "COPY --from=build /src/manifests/demo /app/demo");
        Assert.Equal(["/app/demo"], options.Manifests);
        Assert.True(Directory.Exists(RepositoryPaths.DemoManifests));
        // The published executable is what the runtime stage copies, and the build stage has the AOT toolchain.
        Assert.Contains(Lines, l => l == "RUN dotnet publish src/KubeDns -c Release -o /publish");
        Assert.Contains(Lines, l => l == "COPY --from=build /publish/KubeDns ./");
        Assert.Contains(Lines, l => l.StartsWith("RUN apt-get", StringComparison.Ordinal) && l.Contains("clang zlib1g-dev", StringComparison.Ordinal));
    }

    private static string[] JsonArray(string instruction)
    {
        var line = Lines.Single(l => l.StartsWith(instruction + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(instruction.Length + 1)..])!;
    }
}
