using System.Globalization;

namespace KubeDns.ScaleBenchmark;

/// <summary>The benchmark's flags; the fake API server child gets the same sizes, so both build the same layout.</summary>
internal sealed record ScaleOptions
{
    public int Services { get; init; } = 10_000;

    public int Endpoints { get; init; } = 150_000;

    public int Pods { get; init; } = 150_000;

    public int Namespaces { get; init; } = 100;

    /// <summary>EndpointSlice changes timed per kind of slice (the median is reported).</summary>
    public int Changes { get; init; } = 20;

    /// <summary>Dump the server after the relist and break its heap down by type and by owner (ClrMD).</summary>
    public bool HeapBreakdown { get; init; } = true;

    /// <summary>Extra environment variables for the server process (KEY=VALUE), e.g. DOTNET_GCgen0size=0x4000000.</summary>
    public IReadOnlyList<string> ServerEnvironment { get; init; } = [];

    /// <summary>Keep the dump file (it is deleted after the analysis otherwise).</summary>
    public bool KeepDump { get; init; }

    /// <summary>Serve a folder of manifests instead of the fake API server (<see cref="Files.FilesRun"/>).</summary>
    public bool Files { get; init; }

    /// <summary>The server program to run (a published KubeDns.dll or native KubeDns); null for the build output beside this one.</summary>
    public string? ServerProgram { get; init; }

    /// <summary>Run the server with <c>--autopath</c> as well as <c>--pods verified</c> (the API mode).</summary>
    public bool Autopath { get; init; }

    public const string Usage =
        "usage: KubeDns.ScaleBenchmark [--services N] [--endpoints N] [--pods N] [--namespaces N] [--changes N] [--no-heap-breakdown] [--keep-dump] [--server-env KEY=VALUE]...\n" +
        "                              [--files] [--server-program PATH] [--autopath]   (--files: from a folder of manifests, no fake API server)\n" +
        "       KubeDns.ScaleBenchmark serve-fake [the same sizes]   (the fake API server child; commands on stdin)";

    /// <summary>The sizes as flags, to start the fake API server child with.</summary>
    public IReadOnlyList<string> SizeArguments =>
    [
        "--services", Services.ToString(CultureInfo.InvariantCulture),
        "--endpoints", Endpoints.ToString(CultureInfo.InvariantCulture),
        "--pods", Pods.ToString(CultureInfo.InvariantCulture),
        "--namespaces", Namespaces.ToString(CultureInfo.InvariantCulture),
    ];

    public static bool TryParse(IReadOnlyList<string> args, out ScaleOptions options, out string? error)
    {
        options = new ScaleOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            switch (flag)
            {
                case "--no-heap-breakdown":
                    options = options with { HeapBreakdown = false };
                    continue;
                case "--keep-dump":
                    options = options with { KeepDump = true };
                    continue;
                case "--autopath":
                    options = options with { Autopath = true };
                    continue;
                case "--files":
                    options = options with { Files = true };
                    continue;
                case "--server-program" when i + 1 < args.Count:
                    options = options with { ServerProgram = Path.GetFullPath(args[++i]) };
                    continue;
                case "--server-env" when i + 1 < args.Count && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0:
                    options = options with { ServerEnvironment = [.. options.ServerEnvironment, args[++i]] };
                    continue;
            }

            if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                error = $"{flag}: expected a non-negative number";
                return false;
            }

            i++;
            switch (flag)
            {
                case "--services" when value >= 1:
                    options = options with { Services = value };
                    break;
                case "--endpoints":
                    options = options with { Endpoints = value };
                    break;
                case "--pods":
                    options = options with { Pods = value };
                    break;
                case "--namespaces" when value is >= 1 and <= 1000:
                    options = options with { Namespaces = value };
                    break;
                case "--changes" when value >= 1:
                    options = options with { Changes = value };
                    break;
                default:
                    error = $"{flag} {value}: unknown flag or value out of range";
                    return false;
            }
        }

        if (options.Services < 20 || options.Endpoints < 2 * options.Services)
        {
            error = "the cluster needs at least 20 services and 2 endpoints per service (--services, --endpoints)";
            return false;
        }

        if (options.Pods < options.Endpoints)
        {
            error = "--pods must be at least --endpoints (every endpoint is a pod)";
            return false;
        }

        return true;
    }
}
