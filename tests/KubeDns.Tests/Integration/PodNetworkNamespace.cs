namespace KubeDns.Tests.Integration;

/// <summary>
/// A network namespace that looks like a pod's: loopback, one interface with an address (glibc's
/// getaddrinfo uses AI_ADDRCONFIG and returns nothing in a namespace with only lo), and the kubelet's
/// ClusterFirst resolv.conf, which <c>ip netns exec</c> bind-mounts over /etc/resolv.conf.
/// </summary>
internal sealed class PodNetworkNamespace : IDisposable
{
    /// <param name="podNamespace">The Kubernetes namespace the search path is for.</param>
    /// <param name="address">The pod's address on its interface.</param>
    /// <param name="nameserver">The resolv.conf nameserver (where the server listens inside the namespace).</param>
    /// <param name="nodeSearch">Search domains the kubelet appends from the node's resolv.conf.</param>
    public PodNetworkNamespace(string podNamespace = "default", string address = "10.244.9.9", string nameserver = "127.0.0.1", string nodeSearch = "")
    {
        Name = $"kdns-{Environment.ProcessId}-{Random.Shared.Next(100000)}";
        ExternalCommand.Check("ip", "netns", "add", Name);
        ExternalCommand.Check("ip", "-n", Name, "link", "set", "lo", "up");
        ExternalCommand.Check("ip", "-n", Name, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
        ExternalCommand.Check("ip", "-n", Name, "addr", "add", $"{address}/24", "dev", "eth0");
        ExternalCommand.Check("ip", "-n", Name, "link", "set", "eth0", "up");
        ExternalCommand.Check("ip", "-n", Name, "link", "set", "eth1", "up");
        Directory.CreateDirectory(ConfigFolder);
        File.WriteAllText(Path.Combine(ConfigFolder, "resolv.conf"), $"""
            nameserver {nameserver}
            search {podNamespace}.svc.cluster.local svc.cluster.local cluster.local {nodeSearch}
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
