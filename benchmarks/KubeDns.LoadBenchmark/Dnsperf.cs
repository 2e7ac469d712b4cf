using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeDns.LoadBenchmark;

/// <summary>One dnsperf run's summary.</summary>
internal sealed record PerfResult(double QueriesPerSecond, double LostPercent, double AverageLatencyMs, double LatencyStdDevMs);

/// <summary>Runs dnsperf (from apt) against a server and reads its summary.</summary>
internal static partial class Dnsperf
{
    public static PerfResult Run(int port, string queries, LoadOptions options, bool tcp = false, int? rate = null)
    {
        var info = new ProcessStartInfo("dnsperf") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            "-s", "127.0.0.1", "-p", Text(port), "-d", queries, "-l", Text(options.Seconds),
            "-c", Text(options.Clients), "-T", Text(options.Threads), "-q", Text(options.Outstanding),
            .. tcp ? ["-m", "tcp"] : Array.Empty<string>(),
            .. rate is { } qps ? ["-Q", Text(qps)] : Array.Empty<string>(),
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dnsperf");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var text = output.Result;
        if (process.ExitCode != 0 || !QpsLine().IsMatch(text))
        {
            throw new InvalidOperationException($"dnsperf failed ({process.ExitCode}): {errors.Result}{text}");
        }

        return new PerfResult(
            Number(QpsLine().Match(text)),
            Number(LostLine().Match(text)),
            Number(LatencyLine().Match(text)) * 1000,
            Number(StdDevLine().Match(text)) * 1000);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static double Number(Match match) => match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    [GeneratedRegex(@"Queries per second:\s+([\d.]+)")]
    private static partial Regex QpsLine();

    [GeneratedRegex(@"Queries lost:\s+\d+ \(([\d.]+)%\)")]
    private static partial Regex LostLine();

    [GeneratedRegex(@"Average Latency \(s\):\s+([\d.]+)")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"Latency StdDev \(s\):\s+([\d.]+)")]
    private static partial Regex StdDevLine();
}
