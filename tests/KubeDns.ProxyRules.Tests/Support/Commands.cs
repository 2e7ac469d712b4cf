using System.Diagnostics;

namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>Runs system commands (ip, iptables-restore, nft) for the tests, and finds files of the repository.</summary>
internal static class Commands
{
    public static (int Code, string Output) Run(string file, params string[] arguments) => Run(file, arguments, null);

    public static (int Code, string Output) Run(string file, string[] arguments, string? input)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>Runs and asserts success, returning standard output and error.</summary>
    public static string Must(string file, params string[] arguments)
    {
        var (code, output) = Run(file, arguments);
        Assert.True(code == 0, $"{file} {string.Join(' ', arguments)} exited with {code}: {output}");
        return output;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeDns.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KubeDns.sln not found");
    }
}
