using System.Net;
using KubeDns.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace KubeDns.Monitoring;

/// <summary>
/// The HTTP endpoints an operator's probes and scrapers use, as CoreDNS serves them: liveness
/// (<c>/health</c>, default :8080), readiness (<c>/ready</c>, :8181; 503 with the reason until every source
/// has synced and during lame duck) and Prometheus metrics (<c>/metrics</c>, :9153). Kestrel, one small web
/// application per distinct address (two roles given the same address share it). Registered before the DNS
/// listeners, so it stops after them: readiness keeps answering 503 through the lame-duck period.
/// </summary>
/// <param name="cluster">The zone and source gauges: taking it here registers them with the registry it scrapes.</param>
internal sealed partial class MonitoringServer(
    ServerOptions options, ServingState serving, CollectorRegistry registry, ClusterMetrics cluster, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    /// <summary>Kept so that the gauges' owner lives as long as the endpoint that serves them.</summary>
    private readonly ClusterMetrics _cluster = cluster;

    private readonly List<WebApplication> _apps = [];
    private readonly ILogger _logger = loggers.CreateLogger<MonitoringServer>();

    /// <summary>The bound address of each endpoint path (real ports when port 0 was asked for).</summary>
    public IReadOnlyDictionary<string, IPEndPoint> EndPoints { get; private set; } = new Dictionary<string, IPEndPoint>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var roles = new List<(string Path, IPEndPoint EndPoint)>();
        AddRole(roles, "/health", options.HealthListen);
        AddRole(roles, "/ready", options.ReadyListen);
        AddRole(roles, "/metrics", options.MetricsListen);
        var bound = new Dictionary<string, IPEndPoint>(StringComparer.Ordinal);
        var groups = roles.GroupBy(r => r.EndPoint.Port == 0 ? r.Path : r.EndPoint.ToString(), StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var endPoint = group.First().EndPoint;
            var paths = group.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
            var app = Build(endPoint, paths);
            _apps.Add(app);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"cannot serve {string.Join(", ", paths)} on http://{endPoint}: {ex.Message}", ex);
            }

            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var actual = new IPEndPoint(endPoint.Address, new Uri(address).Port);
            foreach (var path in paths)
            {
                bound[path] = actual;
                Log.Serving(_logger, $"http://{actual}{path}");
            }
        }

        EndPoints = bound;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var app in _apps)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _apps.Clear();
    }

    private static void AddRole(List<(string, IPEndPoint)> roles, string path, IPEndPoint? endPoint)
    {
        if (endPoint is not null)
        {
            roles.Add((path, endPoint));
        }
    }

    private WebApplication Build(IPEndPoint endPoint, HashSet<string> paths)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "kubedns-monitoring" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(endPoint));
        var app = builder.Build();
        app.Run(context => Serve(context, paths));
        return app;
    }

    private async Task Serve(HttpContext context, HashSet<string> paths)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!paths.Contains(path) || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            context.Response.StatusCode = paths.Contains(path) ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound;
            return;
        }

        switch (path)
        {
            case "/health":
                // Alive while the process serves HTTP; CoreDNS's health plugin answers the same body.
                await Text(context, StatusCodes.Status200OK, "OK\n").ConfigureAwait(false);
                break;
            case "/ready":
                await Text(context, serving.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, serving.Describe()).ConfigureAwait(false);
                break;
            default:
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                break;
        }
    }

    private static Task Text(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Serving {Url}")]
        public static partial void Serving(ILogger logger, string url);
    }
}
