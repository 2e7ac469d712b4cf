using ARSoft.Tools.Net.Dns;
using DnsLimits = KubeDns.Protocol.DnsLimits;
using KubeDns.Resolution;

namespace KubeDns.Tests.Support;

/// <summary>Sends query bytes through a handler and parses the answer with ARSoft.Tools.Net (the oracle).</summary>
internal static class Ask
{
    public static DnsMessage Resolve(this IQueryHandler handler, byte[] query, DnsTransport transport = DnsTransport.Udp)
    {
        var bytes = handler.ResolveBytes(query, transport);
        Assert.True(bytes.Length > 0, "the handler sent no response");
        return DnsMessage.Parse(bytes);
    }

    public static byte[] ResolveBytes(this IQueryHandler handler, byte[] query, DnsTransport transport = DnsTransport.Udp)
    {
        var response = new byte[DnsLimits.MaxMessageSize];
        var length = handler.Handle(query, response, transport);
        return response[..length];
    }

    public static DnsMessage Resolve(this IQueryHandler handler, string name, RecordType type, DnsTransport transport = DnsTransport.Udp) =>
        handler.Resolve(QueryBytes.Build(name, (ushort)type), transport);

    public static string[] Texts(this IEnumerable<DnsRecordBase> records) =>
        [.. records.Select(r => r.ToString())];
}
