using System.Net.Sockets;
using KubeDns.Tests.Support;

namespace KubeDns.Tests.Integration;

/// <summary>Garbage on the wire never stops the server from answering the next real query.</summary>
public sealed class SocketRobustnessTests
{
    [Fact]
    public void ThousandsOfMutatedDatagrams_ServerKeepsAnswering()
    {
        using var server = ServerProcess.StartOnDemo();
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(server.EndPoint);
        var random = new Random(2026);
        var valid = QueryBytes.Build("web.default.svc.cluster.local", 1, ednsSize: 1232);
        for (var i = 0; i < 5000; i++)
        {
            byte[] datagram;
            if (i % 2 == 0)
            {
                datagram = new byte[random.Next(0, 700)];
                random.NextBytes(datagram);
            }
            else
            {
                datagram = (byte[])valid.Clone();
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                }
            }

            client.Send(datagram);
            DrainReplies(client);
        }

        server.WaitUntilAnswering(TimeSpan.FromSeconds(5));
        Assert.False(server.HasExited);
    }

    [Fact]
    public void GarbageTcpStreams_ServerKeepsAnswering()
    {
        using var server = ServerProcess.StartOnDemo();
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            using var tcp = new TcpClient();
            tcp.Connect(server.EndPoint);
            var junk = new byte[random.Next(1, 3000)];
            random.NextBytes(junk);
            try
            {
                tcp.GetStream().Write(junk);
            }
            catch (IOException)
            {
                // The server may close a connection whose length prefix is nonsense; that is fine.
            }
        }

        server.WaitUntilAnswering(TimeSpan.FromSeconds(5));
    }

    private static void DrainReplies(UdpClient client)
    {
        while (client.Available > 0)
        {
            System.Net.IPEndPoint? from = null;
            client.Receive(ref from);
        }
    }
}
