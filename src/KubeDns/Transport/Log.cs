using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace KubeDns.Transport;

/// <summary>Source-generated log messages of the UDP and TCP listeners.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listening on udp {EndPoint} ({Sockets} sockets) and tcp {TcpEndPoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, int sockets, IPEndPoint tcpEndPoint);

    [LoggerMessage(2, LogLevel.Debug, "UDP receive on {EndPoint} failed: {Error}")]
    public static partial void UdpReceiveFailed(ILogger logger, IPEndPoint endPoint, SocketError error);

    [LoggerMessage(3, LogLevel.Debug, "UDP send from {EndPoint} failed: {Error}")]
    public static partial void UdpSendFailed(ILogger logger, IPEndPoint endPoint, SocketError error);

    [LoggerMessage(4, LogLevel.Error, "The query handler threw {ExceptionType} on a {Transport} query; the query got no answer. Later {ExceptionType} failures are not logged")]
    public static partial void HandlerFailed(ILogger logger, string transport, string exceptionType, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "TCP connection limit ({Limit}) reached on {EndPoint}: new connections are closed until one ends")]
    public static partial void TcpConnectionLimitReached(ILogger logger, int limit, IPEndPoint endPoint);

    [LoggerMessage(6, LogLevel.Warning, "TCP accept on {EndPoint} failed: {Error}")]
    public static partial void TcpAcceptFailed(ILogger logger, IPEndPoint endPoint, SocketError error);

    [LoggerMessage(7, LogLevel.Debug, "TCP connection on {EndPoint} closed: {Reason}")]
    public static partial void TcpConnectionClosed(ILogger logger, IPEndPoint endPoint, string reason);

    [LoggerMessage(8, LogLevel.Warning, "{Count} TCP connections on {EndPoint} were still answering after {Timeout}; closed them")]
    public static partial void TcpDrainTimedOut(ILogger logger, int count, IPEndPoint endPoint, TimeSpan timeout);

    [LoggerMessage(9, LogLevel.Information, "Stopped listening on {Count} addresses")]
    public static partial void Stopped(ILogger logger, int count);
}
