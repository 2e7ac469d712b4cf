using KubeDns.Cluster.Model;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>Source-generated log messages of the Kubernetes API source (event ids 2200-2299).</summary>
internal static partial class Log
{
    [LoggerMessage(2200, LogLevel.Information, "{Source}: synced {Objects} objects")]
    public static partial void Synced(ILogger logger, string source, int objects);

    [LoggerMessage(2201, LogLevel.Warning, "{Source}: {Problem} ({State}; retrying with backoff, logged once until it changes)")]
    public static partial void ApiProblem(ILogger logger, string source, string problem, string state, Exception exception);

    [LoggerMessage(2202, LogLevel.Information, "{Source}: the API server answers again")]
    public static partial void ApiRecovered(ILogger logger, string source);

    [LoggerMessage(2203, LogLevel.Warning, "{Source}: an event could not be read and was skipped: {Reason}")]
    public static partial void BadEvent(ILogger logger, string source, string reason);

    [LoggerMessage(2204, LogLevel.Warning, "{Source}: the watch was silent for {Silence}; restarting it")]
    public static partial void WatchSilent(ILogger logger, string source, TimeSpan silence);

    [LoggerMessage(2205, LogLevel.Warning, "{Resource} {Key} cannot be served and was skipped: {Reason}")]
    public static partial void InvalidObject(ILogger logger, string resource, ObjectKey key, string reason);

    [LoggerMessage(2206, LogLevel.Warning, "Not every kind synced within {Timeout} ({Pending}); serving, with SERVFAIL for names not yet known")]
    public static partial void StartupTimeout(ILogger logger, TimeSpan timeout, string pending);

    [LoggerMessage(2207, LogLevel.Information, "Watching the Kubernetes API at {Host} ({How})")]
    public static partial void Connecting(ILogger logger, string host, string how);
}
