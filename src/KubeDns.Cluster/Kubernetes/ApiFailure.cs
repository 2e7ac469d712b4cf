using System.Net;
using k8s.Autorest;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>Classifies API failures and words them for an operator (one line, naming what to fix).</summary>
internal static class ApiFailure
{
    /// <summary>410 Gone / Expired: the resourceVersion is too old, relist.</summary>
    public static bool IsExpired(Exception exception) => StatusCode(exception) == 410;

    /// <summary>A Kubernetes Status error delivered in a watch stream (not a parse problem).</summary>
    public static bool IsStatus(Exception exception) => exception is ApiStatusException;

    public static string Describe(Exception exception, ResourceClient resource) => StatusCode(exception) switch
    {
        401 => "unauthorized: the API server rejected the credentials (check the kubeconfig user or the service account token)",
        403 => $"forbidden: the server needs 'list' and 'watch' on '{resource.Resource}'"
            + (resource.Group.Length == 0 ? " (core API group)" : $" (API group '{resource.Group}')")
            + " at cluster scope; grant them in its ClusterRole",
        int code and > 0 => $"the API server answered {code} to {resource.Name}: {Message(exception)}",
        _ => exception is HttpRequestException or IOException or System.Net.Sockets.SocketException
            ? "the API server is unreachable: " + Message(exception)
            : $"watching {resource.Name} failed: {Message(exception)}",
    };

    private static int StatusCode(Exception exception) => exception switch
    {
        HttpOperationException { Response: { } response } => (int)response.StatusCode,
        ApiStatusException { Status.Code: { } code } => code,
        HttpRequestException { StatusCode: HttpStatusCode code } => (int)code,
        _ => 0,
    };

    private static string Message(Exception exception) =>
        (exception.InnerException is { } inner && exception is HttpRequestException ? inner.Message : exception.Message).ReplaceLineEndings(" ");
}
