using KubeDns.Cluster.Wire;

namespace KubeDns.Cluster.Kubernetes;

/// <summary>A Status the API server sent as a watch's ERROR event (410 Expired: the version is too old, relist).</summary>
public sealed class ApiStatusException(StatusObject status)
    : Exception($"the API server sent status {status.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "without a code"}"
        + (string.IsNullOrEmpty(status.Reason) ? string.Empty : " " + status.Reason)
        + (string.IsNullOrEmpty(status.Message) ? string.Empty : ": " + status.Message))
{
    public StatusObject Status { get; } = status;
}
