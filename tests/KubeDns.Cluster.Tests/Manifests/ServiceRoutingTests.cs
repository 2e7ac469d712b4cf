using System.Net;
using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Tests.Manifests;

/// <summary>The fields only the rule generator reads, stripped from a Service: affinity, external and load-balancer IPs,
/// source ranges and traffic policies.</summary>
public sealed class ServiceRoutingTests
{
    [Fact]
    public void ClientIPAffinityAndAddresses_AreKept()
    {
        var service = Parse("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: prod}
            spec:
              type: LoadBalancer
              clusterIP: 10.96.1.20
              sessionAffinity: ClientIP
              externalIPs: [192.0.2.7]
              ports: [{port: 80, nodePort: 30080}]
            status:
              loadBalancer:
                ingress: [{ip: 198.51.100.7}, {hostname: lb.example.com}]
            """);

        var routing = Assert.IsType<ServiceRouting>(service.Routing);
        Assert.Equal(ServiceRouting.DefaultAffinityTimeout, routing.AffinityTimeoutSeconds);
        Assert.Equal([IPAddress.Parse("192.0.2.7")], routing.ExternalIPs);
        Assert.Equal([IPAddress.Parse("198.51.100.7")], routing.LoadBalancerIPs);
    }

    [Fact]
    public void PlainService_HasNoRouting()
    {
        var service = Parse("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: prod}
            spec: {clusterIP: 10.96.1.20, ports: [{port: 80}]}
            """);

        Assert.Null(service.Routing);
    }

    [Fact]
    public void SourceRangesAndTrafficPolicies_AreKept_RangesInCanonicalForm()
    {
        var service = Parse("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: prod}
            spec:
              type: LoadBalancer
              clusterIP: 10.96.1.20
              externalTrafficPolicy: Local
              internalTrafficPolicy: Local
              healthCheckNodePort: 31999
              loadBalancerSourceRanges: ["203.0.113.9/24", " 2001:db8::1/32 "]
              ports: [{port: 80, nodePort: 30080}]
            """);

        var routing = Assert.IsType<ServiceRouting>(service.Routing);
        Assert.Equal(["203.0.113.0/24", "2001:db8::/32"], routing.SourceRanges);
        Assert.True(routing.ExternalPolicyLocal);
        Assert.True(routing.InternalPolicyLocal);
        Assert.Equal(31999, routing.HealthCheckNodePort);
    }

    [Theory]
    [InlineData("externalTrafficPolicy: Nearby", "spec.externalTrafficPolicy 'Nearby' is not Cluster or Local")]
    [InlineData("loadBalancerSourceRanges: [10.0.0.0]", "spec.loadBalancerSourceRanges: '10.0.0.0' is not a CIDR")]
    [InlineData("loadBalancerSourceRanges: [10.0.0.0/33]", "spec.loadBalancerSourceRanges: '10.0.0.0/33' is not a CIDR")]
    public void BadPolicyOrRange_IsAnErrorNamingTheField(string field, string expected)
    {
        var result = ManifestParser.Parse($$"""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: prod}
            spec: {clusterIP: 10.96.1.20, {{field}}, ports: [{port: 80}]}
            """);

        Assert.Contains(expected, result.Error?.Reason ?? "(no error)", StringComparison.Ordinal);
    }

    [Fact]
    public void BadExternalIP_IsAnErrorNamingTheField()
    {
        var result = ManifestParser.Parse("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: prod}
            spec: {clusterIP: 10.96.1.20, externalIPs: [not-an-ip], ports: [{port: 80}]}
            """);

        Assert.Contains("spec.externalIPs", result.Error?.Reason ?? string.Join(';', result.Objects), StringComparison.Ordinal);
    }

    private static ServiceInfo Parse(string yaml)
    {
        var result = ManifestParser.Parse(yaml);
        Assert.Null(result.Error);
        return Assert.IsType<ServiceInfo>(Assert.Single(result.Objects).Value);
    }
}
