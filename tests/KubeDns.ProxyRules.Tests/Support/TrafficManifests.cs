namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>The services the traffic tests route to, as manifests over the backends of <see cref="RoutedCluster"/>.</summary>
internal static class TrafficManifests
{
    /// <summary>
    /// web (10.96.0.10: TCP 80 and UDP 53 to 8080, NodePort 30080, Cluster policy): b1 and b2 ready, b3 not ready.
    /// sticky (10.96.0.11:80, ClientIP affinity): b1, b2, b3. empty (10.96.0.12:80): no endpoints.
    /// local (10.96.0.13:80, NodePort 30081, externalTrafficPolicy Local): b1 on this node (node1), b2 on node2.
    /// self (10.96.0.14:80): b1 only, for b1 to reach itself through its service (hairpin).
    /// </summary>
    public static string All(bool webHasB3Ready = false) => string.Join("---\n",
        Service("web", "10.96.0.10", "type: NodePort", "[{name: http, port: 80, targetPort: 8080, nodePort: 30080}, {name: dns, port: 53, targetPort: 8080, protocol: UDP}]"),
        Slice("web", "[{name: http, port: 8080}, {name: dns, port: 8080, protocol: UDP}]", (1, true, "node1"), (2, true, "node2"), (3, webHasB3Ready, "node2")),
        Service("sticky", "10.96.0.11", "sessionAffinity: ClientIP", "[{name: http, port: 80, targetPort: 8080}]"),
        Slice("sticky", "[{name: http, port: 8080}]", (1, true, "node1"), (2, true, "node2"), (3, true, "node2")),
        Service("empty", "10.96.0.12", "type: ClusterIP", "[{name: http, port: 80, targetPort: 8080}]"),
        Service("local", "10.96.0.13", "type: NodePort\n  externalTrafficPolicy: Local", "[{name: http, port: 80, targetPort: 8080, nodePort: 30081}]"),
        Slice("local", "[{name: http, port: 8080}]", (1, true, "node1"), (2, true, "node2")),
        Service("self", "10.96.0.14", "type: ClusterIP", "[{name: http, port: 80, targetPort: 8080}]"),
        Slice("self", "[{name: http, port: 8080}]", (1, true, "node1")));

    private static string Service(string name, string clusterIP, string extra, string ports) => $"""
        apiVersion: v1
        kind: Service
        metadata: {"{"}name: {name}, namespace: shop{"}"}
        spec:
          clusterIP: {clusterIP}
          {extra}
          ports: {ports}

        """;

    private static string Slice(string service, string ports, params (int Backend, bool Ready, string Node)[] endpoints) => $"""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {service}-1
          namespace: shop
          labels: {"{"}kubernetes.io/service-name: {service}{"}"}
        addressType: IPv4
        ports: {ports}
        endpoints:
        {string.Concat(endpoints.Select(e => $"- {{addresses: [{RoutedCluster.BackendIP(e.Backend)}], conditions: {{ready: {(e.Ready ? "true" : "false")}}}, nodeName: {e.Node}}}\n"))}
        """;
}
