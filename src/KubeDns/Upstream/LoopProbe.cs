using KubeDns.Cluster;
using KubeDns.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDns.Upstream;

/// <summary>
/// Finds a forwarding loop at run time, as CoreDNS's <c>loop</c> plugin does: every
/// <see cref="Interval"/> the server sends its upstreams a query for a name no one else asks
/// (<c>RANDOM.kubedns-loop-check.</c>, HINFO). If that query ever reaches this server as a query, the
/// upstreams forward back to us: say so once, loudly, report it in readiness detail, and answer external
/// names SERVFAIL at once instead of sending every query round in a circle until it times out.
/// </summary>
internal sealed partial class LoopProbe(
    Forwarder forwarder, ClusterSyncState sync, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<LoopProbe> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private const string Source = "upstream";

    /// <summary>
    /// The probe's name in lower-case wire form: 16 random hex characters under kubedns-loop-check. Random.Shared,
    /// as for the forwarder's query IDs: the name only has to be unlikely to be asked by anyone else (CoreDNS's
    /// loop plugin uses a non-cryptographic random too), and RandomNumberGenerator would load OpenSSL
    /// (~3.7 MiB RSS) into a server that reads files and never speaks TLS (issue 14).
    /// </summary>
    private readonly byte[] _name = DnsName.Encode($"{Random.Shared.NextInt64():x16}.kubedns-loop-check");

    private volatile bool _detected;

    public bool LoopDetected => _detected;

    /// <summary>True, and the loop recorded, when <paramref name="lowerName"/> is our probe coming back.</summary>
    public bool IsProbe(ReadOnlySpan<byte> lowerName)
    {
        if (!lowerName.SequenceEqual(_name))
        {
            return false;
        }

        if (!_detected)
        {
            _detected = true;
            var upstreams = string.Join(", ", forwarder.Upstreams);
            sync.SetProblem(Source, $"forwarding loop: queries sent to {upstreams} come back to this server; external names get SERVFAIL");
            Log.Loop(logger, upstreams);
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var query = QueryBuilder.Build(_name, 13, RecordClass.IN, ednsPayload: null); // HINFO, as CoreDNS's probe
        var response = new byte[DnsLimits.MaxMessageSize];

        // After every hosted service has started: the probe must find our listeners up when it comes back.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // start-up failed (a bad flag, a missing manifest path): that error is the one to report
            }
        }

        while (!stoppingToken.IsCancellationRequested && !_detected)
        {
            try
            {
                await forwarder.ForwardAsync(query, query.Length, response, response.Length, stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Forwarding loop: this server's probe query came back to it through {Upstreams}. Those upstreams forward to this server; give --upstream the node's own resolvers. Names outside the cluster now get SERVFAIL")]
        public static partial void Loop(ILogger logger, string upstreams);
    }
}
