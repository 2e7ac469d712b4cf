using KubeDns.Upstream;

namespace KubeDns.Tests.Upstream;

public sealed class ResolvConfTests
{
    [Fact]
    public void Nameservers_AreTheNameserverLines_InOrder_OnPort53()
    {
        var servers = ResolvConf.Nameservers("""
            # written by the kubelet
            search default.svc.cluster.local svc.cluster.local
            nameserver 10.0.0.2
            nameserver   fd00::53%eth0   # a scoped IPv6 address
            nameserver 10.0.0.2
            nameserver not-an-address
            options ndots:5
            ;nameserver 10.9.9.9
            """);

        Assert.Equal(["10.0.0.2:53", "[fd00::53]:53"], servers.Select(s => s.ToString()));
    }

    [Fact]
    public void MissingFile_HasNoNameservers() =>
        Assert.Empty(ResolvConf.ReadNameservers("/nonexistent/resolv.conf"));

    [Fact]
    public void SearchDomains_AreTheLastSearchLine()
    {
        var domains = ResolvConf.SearchDomains("""
            domain old.example
            search default.svc.cluster.local svc.cluster.local cluster.local corp.example. ec2.internal
            nameserver 10.0.0.2
            """);

        Assert.Equal(["default.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "ec2.internal"], domains);
    }
}
