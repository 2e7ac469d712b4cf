using System.Globalization;

namespace KubeDns.LoadBenchmark;

/// <summary>The benchmark's settings: cluster size, dnsperf load, rounds.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        dotnet run -c Release --project benchmarks/KubeDns.LoadBenchmark [-- OPTIONS]
          --services N      services in the generated cluster (10000)
          --namespaces N    namespaces they spread over (100)
          --queries N       lines in the query file (200000)
          --seconds N       length of each dnsperf run (10)
          --rounds N        A B rounds (3); the median of each server's runs is reported
          --clients N       dnsperf -c (8)    --threads N   dnsperf -T (2)    --outstanding N   dnsperf -q (500)
          --rate N          queries/s for the fixed-rate latency run (20000)
          --no-tcp          skip the TCP round
          --server-program PATH   the KubeDns to measure: a published one (native KubeDns, or KubeDns.dll);
                            default: the build output beside this program
        Needs dnsperf and knotd on PATH (apt-get install dnsperf knot).
        """;

    public int Services { get; init; } = 10_000;

    public int Namespaces { get; init; } = 100;

    public int Queries { get; init; } = 200_000;

    public int Seconds { get; init; } = 10;

    public int Rounds { get; init; } = 3;

    public int Clients { get; init; } = 8;

    public int Threads { get; init; } = 2;

    public int Outstanding { get; init; } = 500;

    public int Rate { get; init; } = 20_000;

    public bool Tcp { get; init; } = true;

    /// <summary>The KubeDns program to measure; null for the build output beside the benchmark.</summary>
    public string? ServerProgram { get; init; }

    public static bool TryParse(string[] args, out LoadOptions options, out string error)
    {
        options = new LoadOptions();
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--no-tcp")
            {
                options = options with { Tcp = false };
                continue;
            }

            if (args[i] == "--server-program" && i + 1 < args.Length)
            {
                options = options with { ServerProgram = Path.GetFullPath(args[++i]) };
                continue;
            }

            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                error = $"{args[i]}: needs a positive whole number";
                return false;
            }

            i++;
            switch (args[i - 1])
            {
                case "--services": options = options with { Services = value }; break;
                case "--namespaces": options = options with { Namespaces = value }; break;
                case "--queries": options = options with { Queries = value }; break;
                case "--seconds": options = options with { Seconds = value }; break;
                case "--rounds": options = options with { Rounds = value }; break;
                case "--clients": options = options with { Clients = value }; break;
                case "--threads": options = options with { Threads = value }; break;
                case "--outstanding": options = options with { Outstanding = value }; break;
                case "--rate": options = options with { Rate = value }; break;
                default:
                    error = $"{args[i - 1]}: unknown option";
                    return false;
            }
        }

        return true;
    }
}
