using System.Diagnostics;

namespace KubeDns.Tests.Integration.Kubernetes;

/// <summary>Choosing the cluster state: never a silent guess of an API server.</summary>
public sealed class ApiStartupTests
{
    [Fact]
    public void NoKubeconfigNoManifestsOutsideAPod_Exits2SayingHowToChoose()
    {
        var (code, stderr) = RunOutsideAPod("--listen", $"127.0.0.1:{ServerProcess.FreePort()}");

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--kubeconfig PATH", line, StringComparison.Ordinal);
        Assert.Contains("--manifests PATH", line, StringComparison.Ordinal);
        Assert.Contains("pod", line, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeconfigMissing_FailsStartupNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "kubedns-no-such-" + Guid.NewGuid().ToString("N"), "kubeconfig");

        var (code, stderr) = RunOutsideAPod("--kubeconfig", missing, "--listen", $"127.0.0.1:{ServerProcess.FreePort()}");

        Assert.Equal(1, code);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
        Assert.Contains("start-up failed", stderr, StringComparison.Ordinal);
    }

    /// <summary>Runs the server to its exit with the in-cluster environment variables removed, whatever machine runs the tests.</summary>
    private static (int Code, string StdErr) RunOutsideAPod(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.ServerAssembly);
        foreach (var argument in ServerProcess.WithTestDefaults(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        start.Environment.Remove("KUBERNETES_SERVICE_PORT");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the server did not exit: " + stdout.Result + stderr.Result);
        }

        return (process.ExitCode, stderr.Result);
    }
}
