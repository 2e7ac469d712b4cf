namespace KubeDns.Cluster.Tests.TestSupport;

/// <summary>Small YAML snippets for tests.</summary>
internal static class Manifest
{
    public static string Namespace(string name) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {name}
        """;

    public static string Service(string ns, string name, string clusterIP, string? selectorApp = null) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          clusterIP: {clusterIP}
        {(selectorApp is null ? string.Empty : $"  selector:\n    app: {selectorApp}\n")}  ports:
          - name: http
            port: 80
        """;

    public static string Pod(string ns, string name, string app, string ip, bool ready = true, string phase = "Running") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            app: {app}
        spec:
          containers:
          - name: main
            image: busybox
        status:
          phase: {phase}
          podIP: {ip}
          conditions:
          - type: Ready
            status: "{(ready ? "True" : "False")}"
        """;

    public static string Docs(params string[] documents) => string.Join("\n---\n", documents) + "\n";
}
