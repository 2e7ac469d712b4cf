using KubeDns.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

        // Before the listeners: hosted services start in registration order, so the zone loads first.
        services.AddClusterZone(options);

        // One instance serves as the hosted service and as the way to read the bound addresses.
        services.AddSingleton<DnsListeners>();
        services.AddHostedService(static provider => provider.GetRequiredService<DnsListeners>());
        return services;
    }
}
