using System.Net;

namespace KubeDns.ScaleBenchmark.Cluster;

/// <summary>
/// The shape of the synthetic cluster, computed from the sizes alone so that both processes (the fake API
/// server that serves it and the measuring process that queries it) agree on every name and address without
/// exchanging the objects.
/// </summary>
/// <remarks>
/// Services are spread round-robin over the namespaces. 1 in 100 is "big": two thirds of all endpoints, in
/// full slices of 100 (1,000 endpoints, 10 slices each at the default sizes); 1 in 4 big ones is headless.
/// The other services share the remaining third, 1 to 15 endpoints each in one slice (5 on average); 1 in 5 is
/// headless, 1 in 10 has a second port, 1 in 200 is an ExternalName without endpoints. Endpoint number e is
/// pod number e (same namespace, labels matching the service's selector, IP from 10.128.0.0/9); pods past the
/// endpoints belong to no service.
/// </remarks>
internal sealed class ClusterLayout
{
    public const int SliceCapacity = 100;
    private const int BigEvery = 100;
    private static readonly int[] SmallWeights = [1, 2, 3, 5, 8, 3, 2, 1, 10, 15];

    private readonly ServiceShape[] _services;

    public ClusterLayout(ScaleOptions options)
    {
        Options = options;
        _services = new ServiceShape[options.Services];
        var bigCount = options.Services / BigEvery;
        var bigEndpoints = bigCount == 0 ? 0 : options.Endpoints * 2L / 3 / bigCount / SliceCapacity * SliceCapacity;
        var smallEndpoints = options.Endpoints - (bigEndpoints * bigCount);

        // Small services: endpoint counts proportional to a repeating weight pattern, adding up exactly.
        var smallIndexes = Enumerable.Range(0, options.Services).Where(i => !IsBig(i) && !IsExternalName(i)).ToArray();
        long totalWeight = 0;
        for (var k = 0; k < smallIndexes.Length; k++)
        {
            totalWeight += SmallWeights[k % SmallWeights.Length];
        }

        long cumulative = 0;
        var nextEndpoint = 0;
        var smallRank = 0;
        for (var i = 0; i < options.Services; i++)
        {
            int count;
            if (IsBig(i))
            {
                count = (int)bigEndpoints;
            }
            else if (IsExternalName(i))
            {
                count = 0;
            }
            else
            {
                var before = totalWeight == 0 ? 0 : cumulative * smallEndpoints / totalWeight;
                cumulative += SmallWeights[smallRank++ % SmallWeights.Length];
                var after = totalWeight == 0 ? 0 : cumulative * smallEndpoints / totalWeight;
                count = (int)(after - before);
            }

            _services[i] = new ServiceShape(i, NamespaceName(i % options.Namespaces), $"svc-{i:D5}", Kind(i), count, nextEndpoint);
            nextEndpoint += count;
        }

        EndpointCount = nextEndpoint;
        SliceCount = _services.Sum(s => s.SliceCount);
    }

    public ScaleOptions Options { get; }

    public IReadOnlyList<ServiceShape> Services => _services;

    public int EndpointCount { get; }

    public int SliceCount { get; }

    public int HeadlessCount => _services.Count(s => s.Kind == ServiceShapeKind.Headless);

    public static string NamespaceName(int index) => $"ns-{index:D3}";

    /// <summary>The namespace of pod <paramref name="pod"/>: its service's, or round-robin for pods past the endpoints.</summary>
    public string PodNamespace(int pod, ServiceShape? owner) =>
        owner?.Namespace ?? NamespaceName(pod % Options.Namespaces);

    public static IPAddress PodIP(int pod) => new([10, (byte)(128 + (pod >> 16)), (byte)(pod >> 8), (byte)pod]);

    public static IPAddress ClusterIP(int service) => new([10, (byte)(96 + (service >> 16)), (byte)(service >> 8), (byte)service]);

    /// <summary>An address no generated object uses, for the n-th changed endpoint (10.250.0.0/16 and up).</summary>
    public static IPAddress ChangedIP(int n) => new([10, (byte)(250 + (n >> 16)), (byte)(n >> 8), (byte)n]);

    /// <summary>The service whose endpoint pod number <paramref name="pod"/> is; null for pods past the endpoints.</summary>
    public ServiceShape? OwnerOf(int pod)
    {
        int low = 0, high = _services.Length - 1;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            var service = _services[mid];
            if (pod < service.FirstEndpoint)
            {
                high = mid - 1;
            }
            else if (pod >= service.FirstEndpoint + service.EndpointCount)
            {
                low = mid + 1;
            }
            else
            {
                return service;
            }
        }

        return null;
    }

    /// <summary>The dashed form of an IPv4 address, as endpoint and pod names spell it: 10-128-0-5.</summary>
    public static string Dashed(IPAddress ip) => ip.ToString().Replace('.', '-');

    /// <summary>The reverse name of an IPv4 address: 5.0.128.10.in-addr.arpa.</summary>
    public static string Reverse(IPAddress ip) => string.Join('.', ip.GetAddressBytes().Reverse()) + ".in-addr.arpa";

    /// <summary>
    /// The first small service of a kind with at least <paramref name="minEndpoints"/> endpoints, or in a small
    /// cluster the one of that kind with the most endpoints (at least one).
    /// </summary>
    public ServiceShape FirstSmall(ServiceShapeKind kind, int minEndpoints)
    {
        var candidates = _services.Where(s => !IsBig(s.Index) && s.Kind == kind && s.EndpointCount > 0).ToList();
        return candidates.FirstOrDefault(s => s.EndpointCount >= minEndpoints)
            ?? candidates.MaxBy(s => s.EndpointCount)
            ?? throw new InvalidOperationException($"the cluster has no small {kind} service with endpoints: give more --services and --endpoints");
    }

    /// <summary>The first big service of a kind (null when the cluster is too small to have one).</summary>
    public ServiceShape? FirstBig(ServiceShapeKind kind) => _services.FirstOrDefault(s => IsBig(s.Index) && s.Kind == kind);

    private static bool IsBig(int i) => i % BigEvery == BigEvery - 1;

    private static bool IsExternalName(int i) => !IsBig(i) && i % 200 == 42;

    private static ServiceShapeKind Kind(int i) =>
        IsExternalName(i) ? ServiceShapeKind.ExternalName
        : IsBig(i) ? (i / BigEvery % 4 == 1 ? ServiceShapeKind.Headless : ServiceShapeKind.ClusterIP)
        : i % 5 == 2 ? ServiceShapeKind.Headless
        : ServiceShapeKind.ClusterIP;
}

internal enum ServiceShapeKind
{
    ClusterIP,
    Headless,
    ExternalName,
}

/// <summary>One service of the layout: its endpoints are the pods numbered FirstEndpoint.. FirstEndpoint+EndpointCount-1.</summary>
internal sealed record ServiceShape(int Index, string Namespace, string Name, ServiceShapeKind Kind, int EndpointCount, int FirstEndpoint)
{
    public int SliceCount => (EndpointCount + ClusterLayout.SliceCapacity - 1) / ClusterLayout.SliceCapacity;

    /// <summary>1 in 10 ClusterIP services has a second (metrics) port.</summary>
    public bool HasMetricsPort => Index % 10 == 3;

    public string SliceName(int slice) => $"{Name}-{slice:D2}x{Index % 997:D3}";

    public string FullName(string clusterDomain) => $"{Name}.{Namespace}.svc.{clusterDomain}";
}
