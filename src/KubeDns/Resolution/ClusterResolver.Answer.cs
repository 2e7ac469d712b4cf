using KubeDns.Hosting;
using KubeDns.Protocol;
using KubeDns.Upstream;
using KubeDns.Zone;

namespace KubeDns.Resolution;

/// <summary>The answer rules: positive answers, CNAME chains, pod names, NODATA and NXDOMAIN.</summary>
internal sealed partial class ClusterResolver
{
    /// <summary>Longest in-zone CNAME chain followed (ExternalName to ExternalName...), against loops.</summary>
    private const int MaxCnameChain = 8;

    /// <param name="chased">The upstream's records for a CNAME target outside our zones, once fetched.</param>
    /// <param name="toChase">Set when the answer needs names outside our zones and <paramref name="chased"/> is null:
    /// the names to look up upstream, in order, the first that exists winning.</param>
    private int Answer(
        scoped ReadOnlySpan<byte> name, ushort type, scoped ReadOnlySpan<byte> client, ref ResponseWriter writer, out bool authoritative,
        ChasedAnswer? chased, ref byte[][]? toChase)
    {
        var snapshot = _zone.Current;
        var authority = snapshot.AuthorityFor(name, out var labelsBelowApex);
        authoritative = authority is not null;
        if (authority is null)
        {
            return ResponseCode.Refused; // Not our zone, and no upstream to forward to.
        }

        var node = snapshot.Find(name);
        if (TryAnswerEndpointPointers(snapshot, authority, name, node, type, ref writer, owner: default))
        {
            return ResponseCode.NoError;
        }

        if (!node.Exists)
        {
            if (TryAnswerPod(snapshot, authority, labelsBelowApex, name, type, ref writer, owner: default)
                || TryAnswerEndpoint(snapshot, authority, labelsBelowApex, name, type, ref writer, owner: default)
                || TryAnswerServicePort(snapshot, authority, labelsBelowApex, name, type, ref writer, owner: default))
            {
                return ResponseCode.NoError;
            }

            return _autopath && TryAutopath(snapshot, name, type, client, ref writer, chased, ref toChase, out var rcode)
                ? rcode
                : NameError(snapshot, authority, ref writer);
        }

        if (node.HasCname && type != RecordType.CNAME && node.Find(RecordType.CNAME) is { } cname)
        {
            writer.AppendAnswers(cname.Answers, cname.AnswerEnds);
            return FollowCname(snapshot, node.CnameTarget, type, ref writer, chased, ref toChase);
        }

        return AnswerAtNode(snapshot, node, type, ref writer, owner: default);
    }

    /// <summary>
    /// Answers <paramref name="type"/> at an existing node. <paramref name="owner"/> is empty when the node is
    /// the question name (records use the pointer), else the name to write (a CNAME target).
    /// </summary>
    private static int AnswerAtNode(ZoneSnapshot snapshot, ZoneNode node, ushort type, ref ResponseWriter writer, scoped ReadOnlySpan<byte> owner)
    {
        var answered = false;
        if (node.ApexIndex >= 0 && type is RecordType.SOA or RecordType.ANY)
        {
            var soa = snapshot.Soa[node.ApexIndex].Answer;
            Append(ref writer, soa, owner);
            answered = true;
        }

        answered |= AppendSets(node, type, ref writer, owner);

        // A service's SRV records come last, as their glue (the additional section) follows every answer.
        if (type is RecordType.SRV or RecordType.ANY)
        {
            answered |= AppendServiceSrv(snapshot, node, [], [], ref writer, owner);
        }

        if (!answered)
        {
            // NODATA: the name exists without this type (RFC 2308 §2.2).
            var authority = snapshot.AuthorityFor(node.Name, out _)!;
            writer.AppendAuthority(snapshot.Soa[authority.Index].Authority);
        }

        return ResponseCode.NoError;
    }

    /// <summary>
    /// Follows a CNAME target inside our zones and appends its records. A target outside them is chased
    /// through the upstreams when forwarding is on (<paramref name="chased"/> holds their records, and until
    /// then <paramref name="toChase"/> says what to fetch); without forwarding the chain ends with the
    /// CNAME alone and the client's resolver continues. The rcode is that of the last name in the chain
    /// (RFC 6604 §2.1). A chain longer than <see cref="MaxCnameChain"/> is a loop: SERVFAIL with no records.
    /// </summary>
    private int FollowCname(ZoneSnapshot snapshot, scoped ReadOnlySpan<byte> target, ushort type, ref ResponseWriter writer, ChasedAnswer? chased, ref byte[][]? toChase)
    {
        for (var hop = 0; hop < MaxCnameChain; hop++)
        {
            var authority = snapshot.AuthorityFor(target, out var labelsBelowApex);
            if (authority is null)
            {
                if (chased is not null)
                {
                    writer.AppendAnswers(chased.Records, chased.Ends);
                    return chased.Rcode;
                }

                toChase = [target.ToArray()];
                return ResponseCode.NoError;
            }

            var node = snapshot.Find(target);
            if (TryAnswerEndpointPointers(snapshot, authority, target, node, type, ref writer, target))
            {
                return ResponseCode.NoError;
            }

            if (!node.Exists)
            {
                return TryAnswerPod(snapshot, authority, labelsBelowApex, target, type, ref writer, target)
                    || TryAnswerEndpoint(snapshot, authority, labelsBelowApex, target, type, ref writer, target)
                    || TryAnswerServicePort(snapshot, authority, labelsBelowApex, target, type, ref writer, target)
                    ? ResponseCode.NoError
                    : NameError(snapshot, authority, ref writer);
            }

            if (!node.HasCname || type == RecordType.CNAME || node.Find(RecordType.CNAME) is not { } cname)
            {
                return AnswerAtNode(snapshot, node, type, ref writer, target);
            }

            writer.AppendAnswersWithOwner(target, cname.Answers, cname.AnswerEnds);
            target = node.CnameTarget;
        }

        writer.DiscardRecords();
        return ResponseCode.ServFail;
    }

    /// <summary>
    /// NXDOMAIN with the zone's SOA (RFC 2308 §2.1). Before every source has synced, SERVFAIL instead:
    /// resolvers cache NXDOMAIN, and an unsynced view would poison them (CoreDNS does the same).
    /// </summary>
    private int NameError(ZoneSnapshot snapshot, ZoneAuthority authority, ref ResponseWriter writer)
    {
        if (!_sync.AllSynced)
        {
            return ResponseCode.ServFail;
        }

        writer.AppendAuthority(snapshot.Soa[authority.Index].Authority);
        return ResponseCode.NXDomain;
    }

    /// <summary>
    /// <c>a-b-c-d.ns.pod.zone</c> (three labels below the cluster apex): the address is read from the name.
    /// In <c>pods insecure</c> mode only the namespace must exist (its <c>ns.pod.zone</c> node); in
    /// <c>pods verified</c> mode a pod in that namespace must also have the address. False when the name is
    /// not of that shape or not answered. <paramref name="owner"/> is empty when the name is the question.
    /// </summary>
    private static bool TryAnswerPod(
        ZoneSnapshot snapshot, ZoneAuthority authority, int labelsBelowApex, scoped ReadOnlySpan<byte> name, ushort type,
        ref ResponseWriter writer, scoped ReadOnlySpan<byte> owner)
    {
        if (authority != snapshot.Settings.Cluster || labelsBelowApex != 3 || snapshot.Settings.Pods == PodsMode.Disabled)
        {
            return false;
        }

        var label = name.Slice(1, name[0]);
        var parent = name[(name[0] + 1)..];
        if (!IsPodLabel(parent[(1 + parent[0])..]))
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        var length = AddressNames.ParseDashed(label, address);
        if (length == 0 || !snapshot.Find(parent).Exists)
        {
            return false;
        }

        if (snapshot.Settings.Pods == PodsMode.Verified
            && (!AddressKey.TryFromQuery(address[..length], out var key) || !PodAddressIndex.Contains(snapshot.PodAddresses, key, parent.Slice(1, parent[0]))))
        {
            return false;
        }

        var recordType = length == 4 ? RecordType.A : RecordType.AAAA;
        if (type == recordType || type == RecordType.ANY)
        {
            writer.AppendAnswer(recordType, snapshot.Settings.Ttl, address[..length], owner);
        }
        else
        {
            writer.AppendAuthority(snapshot.Soa[snapshot.Settings.Cluster.Index].Authority);
        }

        return true;
    }

    /// <summary>True when the name starts with the label <c>pod</c> (the caller knows the rest is the zone apex).</summary>
    private static bool IsPodLabel(ReadOnlySpan<byte> name) =>
        name.Length > 4 && name[0] == 3 && name.Slice(1, 3).SequenceEqual("pod"u8);

    /// <summary>The node's sets of <paramref name="type"/> (every set for ANY) as answers; false when it has none.</summary>
    private static bool AppendSets(ZoneNode node, ushort type, ref ResponseWriter writer, scoped ReadOnlySpan<byte> owner)
    {
        var answered = false;
        foreach (var set in node.Sets)
        {
            if (set.Type == type || type == RecordType.ANY)
            {
                Append(ref writer, set, owner);
                answered = true;
            }
        }

        return answered;
    }

    private static void Append(ref ResponseWriter writer, RecordSet set, scoped ReadOnlySpan<byte> owner)
    {
        if (owner.IsEmpty)
        {
            writer.AppendAnswers(set.Answers, set.AnswerEnds);
        }
        else
        {
            writer.AppendAnswersWithOwner(owner, set.Answers, set.AnswerEnds);
        }
    }
}
