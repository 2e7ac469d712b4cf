using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Authentication;
using k8s.Exceptions;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>
/// The connection to the API server: its address, an HTTP client with TLS set up from the configuration, and
/// the credentials, each built by KubernetesClient's own public pieces (<see cref="k8s.Kubernetes.CreateCredentials"/>,
/// <see cref="k8s.Kubernetes.CertificateValidationCallBack"/>) and the client certificate from its PEM, as its
/// <see cref="k8s.Kubernetes"/> constructor does. That constructor is not called: it registers the client's JSON
/// options, which roots the generated serializer of every Kubernetes type, about 12 MB of the native program
/// (issue 14), where the server reads four kinds with its own model (<see cref="Wire.WireJson"/>).
/// </summary>
public sealed class ApiClient : IDisposable
{
    public ApiClient(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration.Host) || !Uri.TryCreate(configuration.Host, UriKind.Absolute, out var host))
        {
            throw new KubeConfigException($"the API server address '{configuration.Host}' is not a URL");
        }

        BaseUri = host;
        // HTTP/2 pings on an active stream, as KubernetesClient sets them: a dead connection under a watch is noticed.
        var handler = new SocketsHttpHandler
        {
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromMinutes(3),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        handler.SslOptions.ClientCertificates = [];
        if (host.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = ServerCertificateCheck(configuration);
        }

        if (ClientCertificate(configuration) is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates.Add(clientCertificate);
        }

        Credentials = k8s.Kubernetes.CreateCredentials(configuration);
        HttpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri BaseUri { get; }

    /// <summary>A token (static, from a file that is re-read, or from an exec plugin) or basic auth; null for none.</summary>
    public ServiceClientCredentials? Credentials { get; }

    public HttpClient HttpClient { get; }

    public void Dispose() => HttpClient.Dispose();

    private static RemoteCertificateValidationCallback ServerCertificateCheck(KubernetesClientConfiguration configuration)
    {
        if (configuration.SkipTlsVerify)
        {
#pragma warning disable CA5359 // The operator's kubeconfig says insecure-skip-tls-verify: true.
            return (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        var authorities = configuration.SslCaCerts ?? throw new KubeConfigException("a CA must be set when insecure-skip-tls-verify is not");
        return (sender, certificate, chain, errors) =>
            certificate is not null && chain is not null
            && k8s.Kubernetes.CertificateValidationCallBack(sender, authorities, certificate, chain, errors);
    }

    /// <summary>The kubeconfig's client-certificate and client-key (inline base64 data or files), PEM.</summary>
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration configuration)
    {
        var certificate = Pem(configuration.ClientCertificateData, configuration.ClientCertificateFilePath);
        var key = Pem(configuration.ClientCertificateKeyData, configuration.ClientKeyFilePath);
        if (certificate is null || key is null)
        {
            return certificate is null && key is null
                ? null
                : throw new KubeConfigException("the kubeconfig user has a client certificate without its key, or a key without its certificate");
        }

        return X509Certificate2.CreateFromPem(certificate, key);
    }

    private static string? Pem(string? base64, string? path) =>
        !string.IsNullOrEmpty(base64) ? Encoding.UTF8.GetString(Convert.FromBase64String(base64))
        : !string.IsNullOrEmpty(path) ? File.ReadAllText(path)
        : null;
}
