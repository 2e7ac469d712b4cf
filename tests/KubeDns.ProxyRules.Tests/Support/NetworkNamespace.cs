namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>A network namespace of the test's own (unique name), deleted on dispose.</summary>
internal sealed class NetworkNamespace : IDisposable
{
    public NetworkNamespace(string purpose)
    {
        Name = $"kdr-{purpose}-{Environment.ProcessId}-{Random.Shared.Next(100_000)}";
        Commands.Must("ip", "netns", "add", Name);
        Exec("ip", "link", "set", "lo", "up");
    }

    public string Name { get; }

    /// <summary>Runs a command inside the namespace and asserts that it succeeds.</summary>
    public string Exec(params string[] command) => Commands.Must("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Runs a command inside the namespace; the exit code and output, for commands expected to fail.</summary>
    public (int Code, string Output) TryExec(params string[] command) => Commands.Run("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Feeds <paramref name="input"/> to a loader (iptables-restore, nft -f -) inside the namespace.</summary>
    public void Load(string loader, string flag, string input)
    {
        var (code, output) = Commands.Run("ip", ["netns", "exec", Name, loader, flag], input);
        Assert.True(code == 0, $"{loader} {flag} failed: {output}\n{input}");
    }

    public void Dispose() => Commands.Run("ip", "netns", "del", Name);
}
