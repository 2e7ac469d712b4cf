using KubeDns.Cluster;
using KubeDns.Hosting;
using KubeDns.Protocol;
using KubeDns.Upstream;
using KubeDns.Zone;

namespace KubeDns.Resolution;

/// <summary>
/// Answers queries from the current zone snapshot: parse, look up, copy pre-encoded records, write the header.
/// Allocation-free for every cluster answer (pod names with IPv6 addresses aside).
/// </summary>
internal sealed partial class ClusterResolver : IQueryHandler
{
    private readonly ZoneStore _zone;
    private readonly ClusterSyncState _sync;
    private readonly ushort _maxUdpSize;
    private readonly ExternalResolver? _external;
    private readonly ushort _recursionAvailable;
    private readonly bool _autopath;
    private readonly byte[][] _nodeSearch;

    /// <param name="external">Forwarding of names outside the cluster; null answers them REFUSED.</param>
    /// <param name="nodeSearch">The node's search domains, which autopath walks after the cluster's.</param>
    public ClusterResolver(ZoneStore zone, ClusterSyncState sync, ServerOptions options, ExternalResolver? external = null, NodeSearchDomains? nodeSearch = null)
    {
        _nodeSearch = nodeSearch?.Domains ?? [];
        _zone = zone;
        _sync = sync;
        _maxUdpSize = (ushort)options.MaxUdpSize;
        _external = external;
        _recursionAvailable = external is null ? (ushort)0 : DnsHeader.RA;
        _autopath = options.Autopath;
    }

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport) =>
        Respond(query, response, transport, [], chased: null, out _);

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, ReadOnlySpan<byte> client) =>
        Respond(query, response, transport, client, chased: null, out _);

    /// <summary>
    /// A deferred query: a name for the upstreams, or a cluster answer whose CNAME chain (an ExternalName)
    /// left our zones: the target's records are fetched, then the answer is built again with them.
    /// </summary>
    public async ValueTask<int> HandleDeferredAsync(
        ReadOnlyMemory<byte> query, Memory<byte> response, DnsTransport transport, ReadOnlyMemory<byte> client, CancellationToken cancellationToken)
    {
        if (_external is null)
        {
            return 0;
        }

        if (IsExternalQuery(query.Span)
            || Respond(query.Span, response.Span, transport, client.Span, chased: null, out var chase) != IQueryHandler.Deferred || chase is not { } target)
        {
            return await _external.AnswerAsync(query, response, transport, cancellationToken).ConfigureAwait(false);
        }

        // In order until a name exists (RFC 6604: the rcode is the last name's); the last one is kept regardless.
        ChasedAnswer? chased = null;
        foreach (var name in target.Names)
        {
            chased = await _external.ChaseAsync(name, target.Type, cancellationToken).ConfigureAwait(false)
                ?? new ChasedAnswer(name, ResponseCode.ServFail, [], []);
            if (chased.Rcode != ResponseCode.NXDomain)
            {
                break;
            }
        }

        return Respond(query.Span, response.Span, transport, client.Span, chased, out _);
    }

    /// <param name="chase">The outside names and type still to fetch, when the result is <see cref="IQueryHandler.Deferred"/> for a CNAME chain or autopath.</param>
    /// <param name="client">The client's address bytes (empty when unknown), for autopath.</param>
    private int Respond(
        ReadOnlySpan<byte> query, Span<byte> response, DnsTransport transport, ReadOnlySpan<byte> client, ChasedAnswer? chased, out (byte[][] Names, ushort Type)? chase)
    {
        chase = null;
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameLength + 1];
        var status = QueryParser.Parse(query, name, out var parsed);
        switch (status)
        {
            case ParseStatus.Drop:
                return 0;
            case ParseStatus.NotImplemented:
                return WriteHeaderOnly(query, response, ResponseCode.NotImp);
            case ParseStatus.FormatError:
                return WriteHeaderOnly(query, response, ResponseCode.FormErr);
        }

        if (_external is not null && parsed.EdnsVersion == 0 && IsExternal(_zone.Current, parsed.Name))
        {
            return _external.Answer(query, parsed, response, transport);
        }

        var maxSize = transport == DnsTransport.Tcp ? DnsLimits.MaxMessageSize
            : parsed.HasOpt ? Math.Clamp((int)parsed.EdnsPayloadSize, DnsLimits.ClassicUdpSize, _maxUdpSize)
            : DnsLimits.ClassicUdpSize;
        query[..parsed.QuestionEnd].CopyTo(response);
        var writer = new ResponseWriter(response, maxSize - (parsed.HasOpt ? ResponseWriter.OptSize : 0), parsed.QuestionEnd);

        var authoritative = false;
        int rcode;
        if (parsed.HasOpt && parsed.EdnsVersion != 0)
        {
            rcode = ResponseCode.BadVers; // RFC 6891 §6.1.3: we speak version 0 only.
        }
        else if (parsed.Class is not (RecordClass.IN or RecordClass.ANY) || parsed.Type is RecordType.AXFR or RecordType.IXFR)
        {
            rcode = ResponseCode.Refused; // No CHAOS zone; zone transfers are not offered.
        }
        else
        {
            byte[][]? toChase = null;
            rcode = Answer(parsed.Name, parsed.Type, client, ref writer, out authoritative, chased, ref toChase);
            if (toChase is not null && _external is not null && parsed.Type is not (RecordType.CNAME or RecordType.ANY))
            {
                chase = (toChase, parsed.Type);
                return IQueryHandler.Deferred;
            }
        }

        if (parsed.HasOpt)
        {
            writer.AppendOpt(_maxUdpSize, rcode, parsed.DnssecOk);
        }

        var flags = (ushort)(DnsHeader.QR | (parsed.Flags & DnsHeader.RD) | _recursionAvailable | (rcode & 0xF)
            | (authoritative ? DnsHeader.AA : 0) | (writer.Truncated ? DnsHeader.TC : 0));
        return writer.Finish(parsed.Id, flags, 1);
    }

    private bool IsExternalQuery(ReadOnlySpan<byte> query)
    {
        Span<byte> name = stackalloc byte[DnsLimits.MaxNameLength + 1];
        return QueryParser.Parse(query, name, out var parsed) == ParseStatus.Ok && IsExternal(_zone.Current, parsed.Name);
    }

    /// <summary>
    /// Names for the upstreams: outside every zone we serve, or a reverse name the cluster has no record
    /// at (an address outside the cluster; CoreDNS's <c>fallthrough in-addr.arpa ip6.arpa</c>).
    /// </summary>
    private static bool IsExternal(ZoneSnapshot snapshot, ReadOnlySpan<byte> name)
    {
        var authority = snapshot.AuthorityFor(name, out _);
        Span<byte> address = stackalloc byte[16];
        return authority is null
            || (authority != snapshot.Settings.Cluster && !snapshot.Find(name).Exists
                && snapshot.EndpointPointerOwners(name, address, out _).Count == 0);
    }

    /// <summary>
    /// A response with only a header, for queries whose question cannot be trusted (FORMERR) or whose opcode
    /// we do not implement (NOTIMP). ID, opcode and RD are echoed (RFC 1035 §4.1.1).
    /// </summary>
    private static int WriteHeaderOnly(ReadOnlySpan<byte> query, Span<byte> response, int rcode)
    {
        var flags = DnsHeader.ReadUInt16(query, DnsHeader.FlagsOffset);
        response[..DnsHeader.Size].Clear();
        DnsHeader.WriteUInt16(response, DnsHeader.IdOffset, DnsHeader.ReadUInt16(query, DnsHeader.IdOffset));
        DnsHeader.WriteUInt16(response, DnsHeader.FlagsOffset, (ushort)(DnsHeader.QR | (flags & (DnsHeader.OpcodeMask | DnsHeader.RD)) | rcode));
        return DnsHeader.Size;
    }
}
