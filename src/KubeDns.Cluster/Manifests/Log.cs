using KubeDns.Cluster.Model;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Manifests;

/// <summary>Source-generated log messages of the manifest source (event ids 2100-2199).</summary>
internal static partial class Log
{
    [LoggerMessage(2100, LogLevel.Error, "{Path}:{Line}: {Reason} ({Consequence})")]
    public static partial void FileInvalid(this ILogger logger, string path, int line, string reason, string consequence);

    [LoggerMessage(2101, LogLevel.Information, "{Path} parses again")]
    public static partial void FileRecovered(this ILogger logger, string path);

    [LoggerMessage(2102, LogLevel.Debug, "{Path} was removed; its objects go with it")]
    public static partial void FileRemoved(this ILogger logger, string path);

    [LoggerMessage(2103, LogLevel.Debug, "{Path}:{Line}: ignoring {ApiVersion} {Kind} (not used by DNS)")]
    public static partial void IgnoredKind(this ILogger logger, string path, int line, string apiVersion, string kind);

    [LoggerMessage(2104, LogLevel.Warning, "{Kind} {Key} is declared in both {Loser} and {Winner}; the later path wins")]
    public static partial void DuplicateObject(this ILogger logger, ObjectKind kind, ObjectKey key, string loser, string winner);

    [LoggerMessage(2105, LogLevel.Information, "Loaded {Objects} objects from {Files} manifest files ({Errors} with errors)")]
    public static partial void Loaded(this ILogger logger, int objects, int files, int errors);

    [LoggerMessage(2106, LogLevel.Information, "Manifests changed: {Upserts} objects added or updated, {Deletes} removed")]
    public static partial void ChangesApplied(this ILogger logger, int upserts, int deletes);

    [LoggerMessage(2107, LogLevel.Warning, "Watching {Path} failed; reading every manifest file again")]
    public static partial void WatcherError(this ILogger logger, string path, Exception exception);

    [LoggerMessage(2108, LogLevel.Error, "Reloading manifests failed; the next change retries")]
    public static partial void ReloadFailed(this ILogger logger, Exception exception);
}
