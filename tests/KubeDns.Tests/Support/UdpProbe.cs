using System.Net;
using System.Net.Sockets;

namespace KubeDns.Tests.Support;

/// <summary>Waits until a DNS server on loopback answers a query over UDP: how tests know a started server is up.</summary>
internal static class UdpProbe
{
    /// <param name="endPoint">The server.</param>
    /// <param name="query">A query it answers once ready.</param>
    /// <param name="timeout">How long to keep asking.</param>
    /// <param name="exited">Called between tries: a message when the server's process has died, else null.</param>
    public static void WaitUntilAnswering(IPEndPoint endPoint, byte[] query, TimeSpan timeout, Func<string?> exited)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Client.ReceiveTimeout = 200;
        while (DateTime.UtcNow < deadline)
        {
            if (exited() is { } message)
            {
                Assert.Fail(message);
            }

            try
            {
                client.Send(query, endPoint);
                IPEndPoint? from = null;
                if (client.Receive(ref from).Length > 0)
                {
                    return;
                }
            }
            catch (SocketException)
            {
                Thread.Sleep(50); // refused (not bound yet) or the receive timed out
            }
        }

        throw new TimeoutException($"nothing answered on {endPoint} within {timeout.TotalSeconds} s");
    }
}
