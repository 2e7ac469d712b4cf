namespace KubeDns.Testing.FakeApi;

/// <summary>A kubeconfig with one cluster, user (bearer token) and context, all named "fake".</summary>
internal static class Kubeconfig
{
    public const string Name = "fake";

    public static string Yaml(Uri server, string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {Name}
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        users:
        - name: {Name}
          user:
            token: {token}
        contexts:
        - name: {Name}
          context:
            cluster: {Name}
            user: {Name}
            namespace: default
        current-context: {Name}

        """;
}
