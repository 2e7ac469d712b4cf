using System.Globalization;
using System.Net;
using System.Text;
using k8s;
using k8s.Models;
using KubeDns.ScaleBenchmark.Cluster;

namespace KubeDns.ScaleBenchmark.Files;

/// <summary>
/// The layout as a folder of manifests, as an operator keeps one: a file per namespace holding the Namespace,
/// its Services and their EndpointSlices (the same objects the fake API server serves, written as block YAML
/// documents). Pods are not written: from files the server reads what <c>kubectl apply</c> would take.
/// </summary>
internal sealed class ManifestFolder : IDisposable
{
    private readonly ClusterLayout _layout;

    public ManifestFolder(ClusterLayout layout)
    {
        _layout = layout;
        Path = Directory.CreateTempSubdirectory("kubedns-scale-files-").FullName;
    }

    public string Path { get; }

    public long Bytes => Directory.EnumerateFiles(Path).Sum(f => new FileInfo(f).Length);

    /// <summary>Writes every namespace's file; <paramref name="extra"/> adds one service to the file of its namespace.</summary>
    public void WriteAll(V1Service? extra = null)
    {
        for (var ns = 0; ns < _layout.Options.Namespaces; ns++)
        {
            Write(ClusterLayout.NamespaceName(ns), extra, null);
        }
    }

    /// <summary>Rewrites one namespace's file, with <paramref name="changed"/> in place of the service of its name.</summary>
    public void Write(string ns, V1Service? extra, V1Service? changed)
    {
        var text = new StringBuilder();
        Append(text, ClusterObjects.Namespace(ns));
        foreach (var shape in _layout.Services.Where(s => s.Namespace == ns))
        {
            Append(text, changed?.Metadata.Name == shape.Name ? changed : ClusterObjects.Service(shape));
            for (var slice = 0; slice < shape.SliceCount; slice++)
            {
                Append(text, ClusterObjects.Slice(shape, slice));
            }
        }

        if (extra?.Metadata.NamespaceProperty == ns)
        {
            Append(text, extra);
        }

        // Written aside and renamed, as kubectl or an editor leaves a file: the watcher never reads half of it.
        var file = System.IO.Path.Combine(Path, ns + ".yaml");
        File.WriteAllText(file + ".tmp", text.ToString());
        File.Move(file + ".tmp", file, overwrite: true);
    }

    /// <summary>A service of the layout with another cluster IP: an edit whose answer shows it has been read.</summary>
    public static V1Service WithClusterIP(ServiceShape shape, IPAddress address)
    {
        var service = ClusterObjects.Service(shape);
        service.Spec.ClusterIP = address.ToString();
        service.Spec.ClusterIPs = [address.ToString()];
        return service;
    }

    /// <summary>A service that is in no file yet: its answer shows that a rewrite has been read to the end.</summary>
    public static V1Service Marker(string ns, IPAddress address) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = "rewrite-marker", NamespaceProperty = ns },
        Spec = new V1ServiceSpec
        {
            ClusterIP = address.ToString(),
            ClusterIPs = [address.ToString()],
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }],
        },
    };

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>One document; the layout's objects carry no apiVersion and kind (the API server adds them), a file must.</summary>
    private static void Append(StringBuilder text, IKubernetesObject value)
    {
        (value.ApiVersion, value.Kind) = value switch
        {
            V1Namespace => ("v1", "Namespace"),
            V1Service => ("v1", "Service"),
            _ => ("discovery.k8s.io/v1", "EndpointSlice"),
        };
        text.Append("---\n");
        BlockYaml.Append(text, value);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Path} ({Bytes / 1048576.0:F0} MiB)");
}
