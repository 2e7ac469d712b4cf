using System.Diagnostics;
using System.Globalization;
using KubeDns.ScaleBenchmark.Cluster;
using KubeDns.Testing.FakeApi;

namespace KubeDns.ScaleBenchmark.Fake;

/// <summary>
/// The line protocol between the measuring process and the fake API server child. Requests:
/// <c>change SERVICE SLICE N</c> (replace the slice's first endpoint address by <see cref="ClusterLayout.ChangedIP"/> N),
/// <c>restore SERVICE SLICE</c>, <c>relist</c> (expire the history and send 410 to open watches),
/// <c>stats</c> (list requests and started watches per kind), <c>exit</c>. One reply line each.
/// </summary>
internal static class FakeApiCommands
{
    public const string KubeconfigLine = "kubeconfig";
    public const string ReadyLine = "ready";
    public const string Bye = "bye";

    public static readonly ApiKind[] Kinds = [ApiKind.Namespaces, ApiKind.Services, ApiKind.EndpointSlices, ApiKind.Pods];

    public static string Execute(FakeApiServer server, ClusterLayout layout, string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            switch (words)
            {
                case ["change", var service, var slice, var n]:
                    return Update(server, ClusterObjects.Slice(layout.Services[Int(service)], Int(slice), ClusterLayout.ChangedIP(Int(n))));
                case ["restore", var service, var slice]:
                    return Update(server, ClusterObjects.Slice(layout.Services[Int(service)], Int(slice)));
                case ["relist"]:
                    server.ExpireHistory(closeOpenWatches: true);
                    return "ok";
                case ["stats"]:
                    return Stats(server);
                case ["exit"]:
                    return Bye;
                default:
                    return "error unknown command: " + line;
            }
        }
#pragma warning disable CA1031 // Any failure is reported to the measuring process, which stops the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return "error " + ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" ");
        }
    }

    /// <summary><c>stats lists=N,N,N,N watches=N,N,N,N</c>, kinds in <see cref="Kinds"/> order.</summary>
    public static string Stats(FakeApiServer server) =>
        "stats lists=" + string.Join(',', Kinds.Select(server.ListRequests)) + " watches=" + string.Join(',', Kinds.Select(server.WatchesStarted));

    private static string Update(FakeApiServer server, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> item)
    {
        var started = Stopwatch.GetTimestamp();
        var version = server.Update(item);
        return string.Create(CultureInfo.InvariantCulture, $"ok {version} {Stopwatch.GetElapsedTime(started).TotalMicroseconds:F0}");
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
