using System.Net;
using System.Net.Sockets;
using KubeDns.Hosting;

namespace KubeDns.Tests.Transport;

[CollectionDefinition(nameof(AllocationMeasurement), DisableParallelization = true)]
public sealed class AllocationMeasurement;

/// <summary>Measures the whole process, so it runs alone (no other test allocating meanwhile).</summary>
[Collection(nameof(AllocationMeasurement))]
public sealed class UdpAllocationTests
{
    [Fact]
    public async Task Datagram_SteadyState_AllocatesNothing()
    {
        ServerOptions options = TestListeners.Options() with { UdpSockets = 1 };
        await using TestListeners server = await TestListeners.StartAsync(options);
        using Socket client = TestClients.Udp(server.Udp);
        client.ReceiveTimeout = 5000;
        byte[] query = DnsMessages.Query(1);
        byte[] answer = new byte[512];
        SocketAddress serverAddress = server.Udp.Serialize();
        SocketAddress from = new(AddressFamily.InterNetwork);

        // The client's synchronous Span/SocketAddress calls allocate nothing either, so what is left is the server.
        void Exchange(int count)
        {
            for (int i = 0; i < count; i++)
            {
                client.SendTo(query, SocketFlags.None, serverAddress);
                client.ReceiveFrom(answer, SocketFlags.None, from);
            }
        }

        Exchange(2_000); // warm up: JIT, tiering, the socket's cached event args

        // The least of a few rounds: the test host itself allocates now and then (reporting, reflection).
        const int Count = 5_000;
        long least = long.MaxValue;
        for (int round = 0; round < 5 && least >= Count; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            Exchange(Count);
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        // Zero per datagram; a few stray bytes from the runtime (timers, thread pool) are not the transport's.
        Assert.True(least < Count, $"{least} bytes allocated for {Count} datagrams ({(double)least / Count:F1} per datagram)");
    }
}
