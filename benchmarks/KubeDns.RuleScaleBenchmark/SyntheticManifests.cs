using System.Globalization;
using System.Text;

namespace KubeDns.RuleScaleBenchmark;

/// <summary>
/// <see cref="SyntheticCluster"/> as manifest files, what the rule generator's <c>--manifests</c> reads: one file
/// per 100 services (service and slice each), so that the whole-process runs read YAML as a user's would.
/// </summary>
internal static class SyntheticManifests
{
    public static void Write(string folder, int services, int endpointsPerService)
    {
        Directory.CreateDirectory(folder);
        for (var first = 0; first < services; first += 100)
        {
            var text = new StringBuilder();
            for (var i = first; i < Math.Min(first + 100, services); i++)
            {
                Append(text, i, endpointsPerService);
            }

            File.WriteAllText(Path.Combine(folder, $"services-{first:D6}.yaml"), text.ToString());
        }
    }

    /// <summary>One more service (number <paramref name="i"/>) in a file of its own: the one-service-added case.</summary>
    public static void WriteOne(string folder, int i, int endpointsPerService)
    {
        var text = new StringBuilder();
        Append(text, i, endpointsPerService);
        File.WriteAllText(Path.Combine(folder, $"added-{i}.yaml"), text.ToString());
    }

    private static void Append(StringBuilder text, int i, int endpoints)
    {
        var service = SyntheticCluster.Service(i);
        var port = service.Ports[0];
        var nodePort = port.NodePort > 0 ? $", nodePort: {N(port.NodePort)}" : "";
        text.Append(CultureInfo.InvariantCulture, $"""
            apiVersion: v1
            kind: Service
            metadata: {"{"}name: {service.Name}, namespace: {service.Namespace}{"}"}
            spec:
              type: {(port.NodePort > 0 ? "NodePort" : "ClusterIP")}
              clusterIP: {service.ClusterIPs[0]}
              ports: [{"{"}name: http, port: 80, targetPort: 8080{nodePort}{"}"}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: {service.Name}-abcde
              namespace: {service.Namespace}
              labels: {"{"}kubernetes.io/service-name: {service.Name}{"}"}
            addressType: IPv4
            ports: [{"{"}name: http, port: 8080{"}"}]
            endpoints:

            """);
        foreach (var endpoint in SyntheticCluster.Slice(i, endpoints, generation: 0).Endpoints)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {{addresses: [{endpoint.Addresses[0]}], conditions: {{ready: true}}, nodeName: {endpoint.NodeName}}}\n");
        }

        text.Append("---\n");
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
