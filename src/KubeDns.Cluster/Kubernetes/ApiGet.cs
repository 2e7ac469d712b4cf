using System.Net;
using k8s.Autorest;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// A GET to the API server through the connection's TLS and credentials (<see cref="ApiClient"/>: tokens, exec
/// plugins and certificates are KubernetesClient's), answered as it streams: the list and watch readers take the body from here.
/// </summary>
internal static class ApiGet
{
    /// <summary>
    /// The response once its headers are in, so the client's request timeout does not cut a long body; a status
    /// other than 200 throws <see cref="HttpOperationException"/> with its status and body, as the client's typed
    /// operations do (<see cref="ApiFailure"/> reads both).
    /// </summary>
    /// <param name="path">The collection, e.g. <c>api/v1/services</c>.</param>
    /// <param name="query">The query string, with its <c>?</c>.</param>
    public static async Task<HttpResponseMessage> SendAsync(ApiClient kubernetes, string path, string query, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri.ToString().TrimEnd('/') + "/" + path + query));
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
        }

        var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }
    }
}
