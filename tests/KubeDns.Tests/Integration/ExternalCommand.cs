using System.Diagnostics;

namespace KubeDns.Tests.Integration;

/// <summary>Runs a real program (dig, getent, ip, nslookup) and captures what it prints.</summary>
internal static class ExternalCommand
{
    public static CommandResult Run(string file, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish");
        }

        return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static CommandResult Run(string file, params string[] arguments) => Run(file, (IEnumerable<string>)arguments);

    /// <summary>Runs and requires exit code 0, showing the output when it is not.</summary>
    public static string Check(string file, params string[] arguments)
    {
        var result = Run(file, arguments);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StdErr}{result.StdOut}");
        return result.StdOut;
    }
}

internal sealed record CommandResult(int ExitCode, string StdOut, string StdErr);
