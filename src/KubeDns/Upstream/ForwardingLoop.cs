using System.Net;
using System.Net.NetworkInformation;

namespace KubeDns.Upstream;

/// <summary>
/// Refuses, at start-up, upstreams that are this server itself: forwarding to our own listen address would
/// send every external query round in a circle until it times out (CoreDNS's <c>loop</c> plugin finds the
/// same at run time; the forwarder also notices a query of its own coming back).
/// </summary>
internal static class ForwardingLoop
{
    /// <summary>Throws <see cref="InvalidOperationException"/> naming the upstream and the listen address it is.</summary>
    public static void Check(IReadOnlyList<IPEndPoint> upstreams, IReadOnlyList<IPEndPoint> listen)
    {
        foreach (var upstream in upstreams)
        {
            foreach (var own in listen)
            {
                if (upstream.Port == own.Port && (upstream.Address.Equals(own.Address) || (IsWildcard(own.Address) && IsLocal(upstream.Address))))
                {
                    throw new InvalidOperationException(
                        $"forwarding loop: upstream {upstream} is this server's own listen address {own}; "
                        + "pass --upstream with the node's resolvers (in a pod, dnsPolicy: Default gives them in /etc/resolv.conf), or --upstream none");
                }
            }
        }
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static bool IsLocal(IPAddress address) =>
        IPAddress.IsLoopback(address)
        || NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Any(u => u.Address.Equals(address));
}
