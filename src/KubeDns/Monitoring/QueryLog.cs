using KubeDns.Protocol;
using KubeDns.Resolution;
using Microsoft.Extensions.Logging;

namespace KubeDns.Monitoring;

/// <summary>
/// <c>--log-queries</c>: one structured line per query (name, type, transport, rcode, response size,
/// duration). It allocates per query, which is why it is off by default.
/// </summary>
internal sealed partial class QueryLog(IQueryHandler inner, ILogger<QueryLog> logger) : ObservedQueryHandler(inner)
{
    protected override void Observe(ReadOnlySpan<byte> query, ReadOnlySpan<byte> written, DnsTransport transport, TimeSpan elapsed)
    {
        Log.Query(
            logger,
            QuestionName(query),
            DnsLabels.Types[DnsLabels.TypeIndex(query)],
            transport == DnsTransport.Tcp ? "tcp" : "udp",
            written.IsEmpty ? "none" : DnsLabels.Rcodes[DnsLabels.RcodeIndex(written)],
            written.Length,
            elapsed.TotalMilliseconds);
    }

    /// <summary>The first question's name, dotted, or "?" when unreadable.</summary>
    private static string QuestionName(ReadOnlySpan<byte> query)
    {
        var labels = new List<string>();
        var position = DnsHeader.Size;
        while (position < query.Length && query[position] is var length and > 0 and < 64 && position + length < query.Length)
        {
            labels.Add(System.Text.Encoding.ASCII.GetString(query.Slice(position + 1, length)));
            position += length + 1;
        }

        return position < query.Length && query[position] == 0 ? string.Join('.', labels) + "." : "?";
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "query {Name} {Type} {Transport} {Rcode} {Size}B {Milliseconds:F3}ms")]
        public static partial void Query(ILogger logger, string name, string type, string transport, string rcode, int size, double milliseconds);
    }
}
