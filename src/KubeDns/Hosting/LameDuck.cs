using KubeDns.Monitoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDns.Hosting;

/// <summary>
/// The first thing to stop on SIGTERM (it is registered after the DNS listeners, and hosted services stop
/// in reverse order): readiness turns 503 so endpoints controllers take the pod out of the kube-dns Service,
/// and queries keep being answered for <see cref="ServerOptions.LameDuck"/> while clients move over. Then the
/// listeners stop accepting and finish the TCP queries in flight (CoreDNS's health <c>lameduck</c>).
/// </summary>
internal sealed partial class LameDuck(ServingState serving, ServerOptions options, TimeProvider time, ILogger<LameDuck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        serving.EnterLameDuck();
        if (options.LameDuck <= TimeSpan.Zero)
        {
            return;
        }

        Log.Entered(logger, options.LameDuck.TotalSeconds);
        try
        {
            await Task.Delay(options.LameDuck, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: stop now.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Shutting down: not ready, still answering for {Seconds} s (lame duck)")]
        public static partial void Entered(ILogger logger, double seconds);
    }
}
