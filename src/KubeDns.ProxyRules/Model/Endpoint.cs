using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KubeDns.ProxyRules.Model;

/// <summary>
/// One endpoint of a service port: <see cref="Text"/> is kube-proxy's <c>ip:port</c> (<c>[ip]:port</c> for IPv6),
/// the string endpoints are sorted by and SEP chain names are hashed over. <see cref="IsLocal"/>: on this node.
/// </summary>
internal sealed record Endpoint(IPAddress Address, int Port, bool IsLocal)
{
    public string Text { get; } = Format(Address, Port);

    private static string Format(IPAddress ip, int port) => ip.AddressFamily == AddressFamily.InterNetworkV6
        ? $"[{ip}]:{port.ToString(CultureInfo.InvariantCulture)}"
        : $"{ip}:{port.ToString(CultureInfo.InvariantCulture)}";
}
