using KubeDns.ProxyRules.Sync;

namespace KubeDns.ProxyRules.Tests;

/// <summary>The loader process: a loader that fails early is reported, not crashed on; a stopped sync leaves no loader running.</summary>
public sealed class CommandLoaderTests
{
    [Fact]
    public async Task ALoaderThatStopsReadingAtItsFirstBadLine_IsReportedWithItsOwnMessage()
    {
        // Exits without reading, as iptables-restore does at a line it rejects; the program is far larger than a pipe holds.
        var loader = Loader(["sh", "-c", "echo 'line 1 failed' >&2; exit 2"]);

        var result = await loader.LoadAsync(new string('x', 4 << 20), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("exited with 2: line 1 failed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingLoader_IsReportedAsNotInstalled()
    {
        var result = await Loader(["kubedns-no-such-loader"]).LoadAsync("", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("kubedns-no-such-loader", result.Error, StringComparison.Ordinal);
        Assert.Contains("is it installed?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppingDuringALoad_KillsTheLoader()
    {
        var marker = $"kubedns-loader-test-{Guid.NewGuid():N}";
        var loader = Loader(["bash", "-c", $"exec -a {marker} sleep 60"]);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loader.LoadAsync("", stop.Token));

        Assert.Equal(1, Support.Commands.Run("pgrep", "-f", marker).Code); // 1: no such process
    }

    [Fact]
    public async Task AListingThatFails_GivesNothingAndSaysWhy()
    {
        var loader = new CommandLoader(new(["true"], null, ["sh", "-c", "echo 'No such file or directory' >&2; exit 1"], _ => throw new InvalidOperationException("not parsed")));

        var (owned, error) = await loader.ListOwnedAsync(CancellationToken.None);

        Assert.Empty(owned);
        Assert.Contains("No such file or directory", error, StringComparison.Ordinal);
    }

    private static CommandLoader Loader(string[] load) => new(new(load, null, ["true"], _ => new HashSet<string>()));
}
