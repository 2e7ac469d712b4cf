using KubeDns.Monitoring;
using KubeDns.Resolution;
using KubeDns.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace KubeDns.Hosting;

/// <summary>The server's DI wiring: one place that says which pieces make up the DNS server.</summary>
internal static class ServiceRegistration
{
    /// <summary>
    /// Registers the options, the clock and the UDP/TCP listeners. The listeners need an
    /// <see cref="Resolution.IQueryHandler"/>, which the zone/resolver registration provides.
    /// </summary>
    public static IServiceCollection AddDnsServer(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);

        // Hosted services start in registration order and stop in reverse. Health, readiness and metrics come
        // first (up during the start-up sync, down last), then the zone's sources (loaded before the first
        // query), the listeners, and the lame-duck period, which therefore runs first on SIGTERM.
        services.AddSingleton(static _ =>
        {
            // Our own registry (not prometheus-net's static one), with the process and runtime metrics
            // (process_cpu_seconds_total, process_working_set_bytes, dotnet_collection_count_total, ...).
            var registry = Prometheus.Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        services.AddSingleton<ServingState>();
        services.AddSingleton<DnsMetrics>();
        services.AddSingleton<MonitoringServer>();
        services.AddHostedService(static provider => provider.GetRequiredService<MonitoringServer>());

        services.AddClusterZone(options);
        services.AddSingleton<ClusterMetrics>();

        // One instance serves as the hosted service and as the way to read the bound addresses.
        services.AddSingleton(static provider => new DnsListeners(
            QueryHandler(provider),
            provider.GetRequiredService<ServerOptions>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<DnsListeners>>(),
            provider.GetRequiredService<DnsMetrics>()));
        services.AddHostedService(static provider => provider.GetRequiredService<DnsListeners>());
        services.AddHostedService<LameDuck>();

        // Long enough for the lame-duck period and the TCP drain; the default (30 s) could cut a long lame duck.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.LameDuck + DnsListeners.DrainTimeout + TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>The resolver (or a test's handler), with one log line per query when asked for.</summary>
    private static IQueryHandler QueryHandler(IServiceProvider provider)
    {
        var handler = provider.GetRequiredService<IQueryHandler>();
        return provider.GetRequiredService<ServerOptions>().LogQueries
            ? new QueryLog(handler, provider.GetRequiredService<ILogger<QueryLog>>())
            : handler;
    }
}