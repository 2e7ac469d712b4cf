namespace KubeDns.Tests.Integration;

/// <summary>
/// A network namespace that looks like a pod's: loopback, one interface with an address (glibc's
/// getaddrinfo uses AI_ADDRCONFIG and returns nothing in a namespace with only lo), and the kubelet's
/// ClusterFirst resolv.conf, which <c>ip netns exec</c> bind-mounts over /etc/resolv.conf.
/// </summary>
internal sealed class PodNetworkNamespace : IDisposable
{
    public PodNetworkNamespace(string podNamespace = "default")
    {
        Name = $"kdns-{Environment.ProcessId}-{Random.Shared.Next(100000)}";
        ExternalCommand.Check("ip", "netns", "add", Name);
        ExternalCommand.Check("ip", "-n", Name, "link", "set", "lo", "up");
        ExternalCommand.Check("ip", "-n", Name, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
        ExternalCommand.Check("ip", "-n", Name, "addr", "add", "10.244.9.9/24", "dev", "eth0");
        ExternalCommand.Check("ip", "-n", Name, "link", "set", "eth0", "up");
        ExternalCommand.Check("ip", "-n", Name, "link", "set", "eth1", "up");
        Directory.CreateDirectory(ConfigFolder);
        File.WriteAllText(Path.Combine(ConfigFolder, "resolv.conf"), $"""
            nameserver 127.0.0.1
            search {podNamespace}.svc.cluster.local svc.cluster.local cluster.local
            options ndots:5
            """ + "\n");
    }

    public string Name { get; }

    private string ConfigFolder => Path.Combine("/etc/netns", Name);

    /// <summary>Runs a command inside the namespace, with the pod's resolv.conf.</summary>
    public CommandResult Run(params string[] command) =>
        ExternalCommand.Run("ip", ["netns", "exec", Name, .. command]);

    public void Dispose()
    {
        ExternalCommand.Run("ip", "netns", "del", Name);
        if (Directory.Exists(ConfigFolder))
        {
            Directory.Delete(ConfigFolder, recursive: true);
        }
    }
}
