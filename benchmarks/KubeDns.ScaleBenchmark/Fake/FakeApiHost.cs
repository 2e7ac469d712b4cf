using System.Diagnostics;
using System.Globalization;
using KubeDns.ScaleBenchmark.Cluster;
using KubeDns.Testing.FakeApi;

namespace KubeDns.ScaleBenchmark.Fake;

/// <summary>
/// The <c>serve-fake</c> child: a <see cref="FakeApiServer"/> loaded with the layout's cluster, in a process
/// of its own so that its heap (every object as JSON) is not counted against the server's. It prints
/// <c>kubeconfig PATH</c>, then <c>ready ...</c>, and then answers one line per command read from stdin
/// (see <see cref="FakeApiCommands"/>). It exits when stdin closes.
/// </summary>
internal static class FakeApiHost
{
    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var layout = new ClusterLayout(options);
        var folder = Directory.CreateTempSubdirectory("kubedns-scale-");
        await using var server = await FakeApiServer.StartNewAsync();
        Console.Out.WriteLine($"{FakeApiCommands.KubeconfigLine} {server.WriteKubeconfig(folder.FullName)}");

        var loading = Stopwatch.StartNew();
        Load(server, layout);

        // No watch is open yet: drop the history of the adds (it only holds what the objects already hold),
        // so that the watches the server under test opens start from the lists' resourceVersion.
        server.ExpireHistory();
        GC.Collect();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{FakeApiCommands.ReadyLine} load_ms={loading.ElapsedMilliseconds} namespaces={server.Count(ApiKind.Namespaces)} services={server.Count(ApiKind.Services)} slices={server.Count(ApiKind.EndpointSlices)} pods={server.Count(ApiKind.Pods)} endpoints={layout.EndpointCount} heap_mb={GC.GetTotalMemory(false) / 1048576} pod_json_bytes={JsonBytes(ClusterObjects.Pod(0, layout.OwnerOf(0), layout.PodNamespace(0, layout.OwnerOf(0))))} full_slice_json_bytes={FullSliceJsonBytes(layout)}"));

        while (await Console.In.ReadLineAsync() is { } line)
        {
            var reply = FakeApiCommands.Execute(server, layout, line);
            Console.Out.WriteLine(reply);
            if (reply == FakeApiCommands.Bye)
            {
                break;
            }
        }

        await server.DisposeAsync();
        folder.Delete(recursive: true);
        return 0;
    }

    private static int JsonBytes(object item) => System.Text.Encoding.UTF8.GetByteCount(k8s.KubernetesJson.Serialize(item));

    private static int FullSliceJsonBytes(ClusterLayout layout) =>
        layout.Services.FirstOrDefault(s => s.EndpointCount >= ClusterLayout.SliceCapacity) is { } big ? JsonBytes(ClusterObjects.Slice(big, 0)) : 0;

    private static void Load(FakeApiServer server, ClusterLayout layout)
    {
        for (var i = 0; i < layout.Options.Namespaces; i++)
        {
            server.Add(ClusterObjects.Namespace(ClusterLayout.NamespaceName(i)));
        }

        foreach (var service in layout.Services)
        {
            server.Add(ClusterObjects.Service(service));
            for (var slice = 0; slice < service.SliceCount; slice++)
            {
                server.Add(ClusterObjects.Slice(service, slice));
            }

            for (var e = 0; e < service.EndpointCount; e++)
            {
                var pod = service.FirstEndpoint + e;
                server.Add(ClusterObjects.Pod(pod, service, service.Namespace));
            }
        }

        for (var pod = layout.EndpointCount; pod < layout.Options.Pods; pod++)
        {
            server.Add(ClusterObjects.Pod(pod, owner: null, layout.PodNamespace(pod, owner: null)));
        }
    }
}
