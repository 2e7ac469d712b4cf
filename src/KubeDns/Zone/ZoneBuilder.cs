using System.Collections.Immutable;
using KubeDns.Cluster.Model;
using KubeDns.Hosting;
using KubeDns.Protocol;

namespace KubeDns.Zone;

/// <summary>
/// Keeps the cluster state the zone is made from and turns each change into new zone nodes, touching only
/// the names the changed object contributes (see README.md). Single-threaded: <see cref="ZoneStore"/>
/// serialises callers and publishes the snapshots.
/// </summary>
internal sealed partial class ZoneBuilder
{
    private readonly ZoneSettings _settings;
    private readonly Dictionary<ObjectKey, ServiceInfo> _services = [];
    private readonly Dictionary<ObjectKey, EndpointSliceInfo> _slices = [];
    private readonly Dictionary<ObjectKey, Dictionary<ObjectKey, EndpointSliceInfo>> _slicesByService = [];
    /// <summary>Pods present, with their addresses when the pod index is kept (empty otherwise): labels are not needed here.</summary>
    private readonly Dictionary<ObjectKey, PodAddresses> _pods = [];
    private readonly PodAddressIndex _podAddresses = new();
    private readonly EndpointAddressIndex _endpointAddresses = new();
    private readonly HashSet<string> _declaredNamespaces = new(StringComparer.Ordinal);

    /// <summary>How many objects (the Namespace itself, services, slices, pods) make each namespace exist.</summary>
    private readonly Dictionary<string, int> _namespaceReferences = new(StringComparer.Ordinal);

    private uint _serial;

    public ZoneBuilder(ZoneSettings settings, TimeProvider time)
    {
        _settings = settings;
        _serial = (uint)time.GetUtcNow().ToUnixTimeSeconds();
        AddStaticNames();
    }

    public void Apply(ClusterChange change)
    {
        switch (change.Kind)
        {
            case ObjectKind.Namespace:
                ApplyNamespace(change.Key.Name, change.Value is not null);
                break;
            case ObjectKind.Service:
                ApplyService(change.Key, change.Value as ServiceInfo);
                break;
            case ObjectKind.EndpointSlice:
                ApplySlice(change.Key, change.Value as EndpointSliceInfo);
                break;
            case ObjectKind.Pod:
                ApplyPod(change.Key, change.Value as PodInfo);
                break;
        }
    }

    public ZoneSnapshot Publish()
    {
        _serial++;
        NamesTouched = 0;
        var soa = _settings.Authorities.Select(BuildSoa).ToArray();
        return new ZoneSnapshot(_settings, _names.ToImmutable(), _podAddresses.ToImmutable(), _endpointAddresses.ToImmutable(), soa, _serial);
    }

    private void ApplyNamespace(string name, bool exists)
    {
        var changed = exists ? _declaredNamespaces.Add(name) : _declaredNamespaces.Remove(name);
        if (changed)
        {
            Reference(name, exists ? 1 : -1);
        }
    }

    private void ApplyService(ObjectKey key, ServiceInfo? service)
    {
        TrackPresence(key, _services.ContainsKey(key), service is not null);
        if (service is null)
        {
            _services.Remove(key);
        }
        else
        {
            _services[key] = service;
        }

        RebuildService(key);
    }

    private void ApplySlice(ObjectKey key, EndpointSliceInfo? slice)
    {
        _slices.TryGetValue(key, out var previous);
        TrackPresence(key, previous is not null, slice is not null);
        if (previous?.ServiceKey is { } oldService && _slicesByService.TryGetValue(oldService, out var oldSlices))
        {
            oldSlices.Remove(key);
            if (oldSlices.Count == 0)
            {
                _slicesByService.Remove(oldService);
            }

            if (oldService != slice?.ServiceKey)
            {
                RebuildService(oldService);
            }
        }

        if (slice is null)
        {
            _slices.Remove(key);
            return;
        }

        _slices[key] = slice;
        if (slice.ServiceKey is { } serviceKey)
        {
            if (!_slicesByService.TryGetValue(serviceKey, out var slices))
            {
                slices = [];
                _slicesByService.Add(serviceKey, slices);
            }

            slices[key] = slice;
            RebuildService(serviceKey);
        }
    }

    private void ApplyPod(ObjectKey key, PodInfo? pod)
    {
        var existed = _pods.Remove(key, out var previous);
        TrackPresence(key, existed, pod is not null);
        for (var i = 0; i < previous.Count; i++)
        {
            _podAddresses.Remove(key.Namespace, previous[i]);
        }

        if (pod is null)
        {
            return;
        }

        var addresses = _settings.PodIndex ? PodAddresses.From([.. pod.IPs.Select(AddressKey.From).Distinct()]) : PodAddresses.None;
        _pods.Add(key, addresses);
        for (var i = 0; i < addresses.Count; i++)
        {
            _podAddresses.Add(key.Namespace, addresses[i]);
        }
    }

    /// <summary>Re-encodes a service's names, and moves it in the endpoint address index from its old addresses to its new ones.</summary>
    private void RebuildService(ObjectKey key)
    {
        var name = ServiceRecords.ServiceName(key, _settings);
        var before = name is null ? [] : EndpointAddressesAt(name, out _);
        SetContributions(new Contributor(ContributorKind.Service, key), ServiceContributions(key));
        if (name is null)
        {
            return;
        }

        var after = EndpointAddressesAt(name, out var stored);
        if (before.Count > 0 || after.Count > 0)
        {
            _endpointAddresses.Update(stored ?? name, before, after);
        }
    }

    /// <summary>The addresses of the endpoint names in the node at <paramref name="name"/>, and the node's own name array.</summary>
    private HashSet<AddressKey> EndpointAddressesAt(byte[] name, out byte[]? stored)
    {
        var addresses = new HashSet<AddressKey>();
        if (!_names.TryGetEntry(name, out stored, out var data))
        {
            return addresses;
        }

        foreach (var endpoint in new ZoneNode(stored, data).Endpoints)
        {
            addresses.Add(AddressKey.From(endpoint.Address));
        }

        return addresses;
    }

    private ContributionSet? ServiceContributions(ObjectKey key)
    {
        if (!_services.TryGetValue(key, out var service))
        {
            return null;
        }

        var slices = _slicesByService.TryGetValue(key, out var byKey) ? byKey.Values : Enumerable.Empty<EndpointSliceInfo>();
        return ServiceRecords.Build(service, slices, _settings);
    }

    private void TrackPresence(ObjectKey key, bool existed, bool exists)
    {
        if (existed != exists)
        {
            Reference(key.Namespace, exists ? 1 : -1);
        }
    }

    /// <summary>A namespace exists while it is declared or any object refers to it; it then has <c>ns.svc</c> and <c>ns.pod</c>.</summary>
    private void Reference(string ns, int delta)
    {
        var count = _namespaceReferences.GetValueOrDefault(ns) + delta;
        if (count <= 0)
        {
            _namespaceReferences.Remove(ns);
            SetContributions(new Contributor(ContributorKind.Namespace, new ObjectKey(string.Empty, ns)), null);
            return;
        }

        _namespaceReferences[ns] = count;
        if (count == 1 && delta > 0)
        {
            SetContributions(new Contributor(ContributorKind.Namespace, new ObjectKey(string.Empty, ns)), NamespaceNames(ns));
        }
    }

    /// <summary><c>ns.svc.zone</c> and (with pod records on) <c>ns.pod.zone</c>: empty non-terminals, NODATA not NXDOMAIN.</summary>
    private ContributionSet NamespaceNames(string ns)
    {
        var names = new ContributionSet();
        if (_settings.TryName($"{ns}.svc") is { } svcName)
        {
            names.At(svcName);
        }

        if (_settings.Pods != PodsMode.Disabled && _settings.TryName($"{ns}.pod") is { } podName)
        {
            names.At(podName);
        }

        return names;
    }

    private void AddStaticNames() => SetContributions(new Contributor(ContributorKind.Static, default), StaticNames());

    /// <summary>The apexes' NS records, <c>dns-version</c>, and the <c>svc</c> and <c>pod</c> non-terminals.</summary>
    private ContributionSet StaticNames()
    {
        var names = new ContributionSet();
        names.At(_settings.Cluster.Apex).Records.Add(new ZoneRecord(RecordType.NS, _settings.Ttl, _settings.NameServer));
        names.At(_settings.ReverseV4.Apex).Records.Add(new ZoneRecord(RecordType.NS, _settings.Ttl, _settings.NameServer));
        names.At(_settings.ReverseV6.Apex).Records.Add(new ZoneRecord(RecordType.NS, _settings.Ttl, _settings.NameServer));
        names.At(_settings.Name("dns-version")).Records.Add(new ZoneRecord(RecordType.TXT, ZoneSettings.DnsVersionTtl, RecordData.Txt("1.1.0")));
        names.At(_settings.Name("svc"));
        names.At(_settings.Name("pod"));
        return names;
    }

    /// <summary>
    /// SOA: <c>zone. IN SOA ns.dns.zone. hostmaster.zone. serial 7200 1800 86400 ttl</c>, as CoreDNS writes it;
    /// the minimum field is the negative-caching TTL (RFC 2308 §5).
    /// </summary>
    private SoaRecord BuildSoa(ZoneAuthority authority)
    {
        var data = RecordData.Soa(_settings.NameServer, _settings.Hostmaster, _serial, 7200, 1800, 86400, _settings.Ttl);
        var record = new ZoneRecord(RecordType.SOA, _settings.Ttl, data);
        return new SoaRecord(RecordSet.Encode(RecordType.SOA, [record]), RecordSet.EncodeWithOwner(authority.Apex, RecordType.SOA, _settings.Ttl, data));
    }
}
