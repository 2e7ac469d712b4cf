using KubeDns.Protocol;
using KubeDns.Upstream;
using KubeDns.Zone;

namespace KubeDns.Resolution;

/// <summary>
/// Server-side search path (CoreDNS's <c>autopath</c>, <c>--autopath</c>): a pod's resolver with
/// <c>ndots:5</c> first asks <c>NAME.&lt;its-ns&gt;.svc.&lt;zone&gt;</c>. When that does not exist, the server
/// walks the rest of the pod's search list itself (<c>NAME.svc.&lt;zone&gt;</c>, <c>NAME.&lt;zone&gt;</c>, then
/// the node's search domains and <c>NAME</c> through the upstreams) and answers the first try with a CNAME to the first name that exists,
/// followed by that name's records: one round trip instead of four. The client's namespace comes from the
/// pod-IP index (<see cref="PodAddressIndex"/>); a client that is no known pod, or whose IP two namespaces
/// claim (a reused IP before the old pod's delete arrives), is answered normally.
/// </summary>
internal sealed partial class ClusterResolver
{
    private static ReadOnlySpan<byte> SvcLabel => [3, (byte)'s', (byte)'v', (byte)'c'];

    private bool TryAutopath(
        ZoneSnapshot snapshot, scoped ReadOnlySpan<byte> name, ushort type, scoped ReadOnlySpan<byte> client,
        ref ResponseWriter writer, ChasedAnswer? chased, ref byte[][]? toChase, out int rcode)
    {
        rcode = ResponseCode.NoError;
        if (client.IsEmpty || type == RecordType.CNAME
            || !snapshot.PodAddresses.TryGetValue(AddressKey.From(client), out var owners) || !OneNamespace(owners, out var ns))
        {
            return false;
        }

        // NAME.<ns>.svc.<zone>: the first search-path try of a pod in <ns>, with at least one label before it.
        var apex = snapshot.Settings.Cluster.Apex;
        var stemLength = name.Length - (1 + ns.Length + SvcLabel.Length + apex.Length);
        if (stemLength <= 1 || !IsLabelBoundary(name, stemLength)
            || name[stemLength] != ns.Length || !name.Slice(stemLength + 1, ns.Length).SequenceEqual(ns)
            || !name.Slice(stemLength + 1 + ns.Length, SvcLabel.Length).SequenceEqual(SvcLabel)
            || !name[(stemLength + 1 + ns.Length + SvcLabel.Length)..].SequenceEqual(apex))
        {
            return false;
        }

        var stem = name[..stemLength];
        Span<byte> candidate = stackalloc byte[DnsLimits.MaxNameLength + SvcLabel.Length + 1];
        foreach (var withSvc in (ReadOnlySpan<bool>)[true, false])
        {
            var length = Join(stem, withSvc ? SvcLabel : [], apex, candidate);
            if (length <= DnsLimits.MaxNameLength
                && (snapshot.Find(candidate[..length]).Exists || IsNameWithoutNode(snapshot, candidate[..length])))
            {
                writer.AppendAnswer(RecordType.CNAME, snapshot.Settings.Ttl, candidate[..length]);
                rcode = FollowCname(snapshot, candidate[..length], type, ref writer, chased, ref toChase);
                return true;
            }
        }

        if (_external is null)
        {
            return false;
        }

        // The rest of the pod's search list is the node's domains (the kubelet appends them), then the bare
        // name: all through the upstreams, fetched in order until one exists; a second pass writes the winner.
        if (chased is null)
        {
            var names = new List<byte[]>(_nodeSearch.Length + 1);
            foreach (var domain in _nodeSearch)
            {
                if (stem.Length + domain.Length <= DnsLimits.MaxNameLength)
                {
                    names.Add([.. stem, .. domain]);
                }
            }

            names.Add([.. stem, 0]);
            toChase = [.. names];
            return true;
        }

        writer.AppendAnswer(RecordType.CNAME, snapshot.Settings.Ttl, chased.Name);
        rcode = FollowCname(snapshot, chased.Name, type, ref writer, chased, ref toChase);
        return true;
    }

    /// <summary>The one namespace that holds this IP; false when several do (IP reuse in progress).</summary>
    private static bool OneNamespace(byte[][] owners, out byte[] ns)
    {
        ns = owners[0];
        foreach (var owner in owners)
        {
            if (!owner.AsSpan().SequenceEqual(ns))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An endpoint name or a service's port name: names that exist without a node of their own.</summary>
    private static bool IsNameWithoutNode(ZoneSnapshot snapshot, ReadOnlySpan<byte> name) =>
        snapshot.AuthorityFor(name, out var labelsBelowApex) == snapshot.Settings.Cluster
        && (snapshot.FindEndpointService(name, labelsBelowApex).Exists || snapshot.FindPortService(name, labelsBelowApex).Exists);

    private static bool IsLabelBoundary(ReadOnlySpan<byte> name, int offset)
    {
        var position = 0;
        while (position < offset)
        {
            position += name[position] + 1;
        }

        return position == offset;
    }

    private static int Join(ReadOnlySpan<byte> stem, ReadOnlySpan<byte> middle, ReadOnlySpan<byte> apex, Span<byte> destination)
    {
        stem.CopyTo(destination);
        middle.CopyTo(destination[stem.Length..]);
        apex.CopyTo(destination[(stem.Length + middle.Length)..]);
        return stem.Length + middle.Length + apex.Length;
    }
}
