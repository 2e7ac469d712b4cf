using System.Net.Sockets;
using KubeDns.Monitoring;
using KubeDns.Resolution;
using KubeDns.Tests.Support;
using Prometheus;

namespace KubeDns.Tests.Monitoring;

/// <summary>Counting a query: the series it lands in, and that it allocates nothing once the listener's series exist.</summary>
public sealed class DnsMetricsTests
{
    [Fact]
    public async Task Count_LandsInTheListenersSeries()
    {
        var registry = Metrics.NewCustomRegistry();
        var series = new DnsMetrics(registry).For("dns://[::1]:53", DnsTransport.Tcp, AddressFamily.InterNetworkV6);
        var query = QueryBytes.Build("web.default.svc.cluster.local", 33);
        var response = new byte[100];
        response[3] = 3; // NXDOMAIN

        series.Count(query, response, 0.001);
        series.Count(query, [], 0.001); // dropped: no response

        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        var samples = PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(text.ToArray()));
        Assert.Equal(2, samples.Single(s => s.Name == "coredns_dns_requests_total").Value);
        Assert.True(samples.Single(s => s.Name == "coredns_dns_requests_total").Has(("server", "dns://[::1]:53"), ("proto", "tcp"), ("family", "2"), ("type", "SRV")));
        Assert.Equal(1, samples.Single(s => s.Name == "coredns_dns_responses_total").Value);
        Assert.True(samples.Single(s => s.Name == "coredns_dns_responses_total").Has(("rcode", "NXDOMAIN"), ("plugin", "kubernetes")));
    }

    [Fact]
    public void Count_AllocatesNothing()
    {
        var series = new DnsMetrics(Metrics.NewCustomRegistry()).For("dns://127.0.0.1:53", DnsTransport.Udp, AddressFamily.InterNetwork);
        var query = QueryBytes.Build("web.default.svc.cluster.local", 1);
        var response = new byte[64];
        series.Count(query, response, 0.0001); // first use publishes the series

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            series.Count(query, response, 0.0001 * (i % 50));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
