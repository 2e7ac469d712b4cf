using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace KubeDns.Transport;

/// <summary>
/// Linux batched datagram I/O: <c>recvmmsg</c> takes up to <see cref="Size"/> queries in one system call,
/// <c>sendmmsg</c> sends their answers in one (recvmmsg(2), sendmmsg(2)). The slots (query buffers, peer
/// addresses, answer buffers and the mmsghdr/iovec arrays) live in one native block allocated once, so a
/// batch allocates nothing. Used by <see cref="UdpServer"/>'s receive threads on Linux.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe partial class BatchedUdp : IDisposable
{
    /// <summary>Datagrams per system call.</summary>
    public const int Size = 32;

    /// <summary>Largest query taken: a longer datagram is dropped (queries are a few hundred bytes).</summary>
    public const int MaxQuery = 4096;

    private const int AddressSize = 32; // sockaddr_in6 is 28
    private const int MsgWaitForOne = 0x10000;
    private const int MsgTrunc = 0x20;
    private const int EAgain = 11;
    private const int EIntr = 4;

    private readonly int _fd;
    private readonly int _maxAnswer;
    private readonly byte* _block;
    private readonly MMsgHdr* _receive;
    private readonly MMsgHdr* _send;
    private readonly IoVec* _receiveIov;
    private readonly IoVec* _sendIov;
    private readonly byte* _queries;
    private readonly byte* _addresses;
    private readonly byte* _answers;
    private int _pending;

    /// <param name="socket">A bound UDP socket; its receive timeout lets a blocked receive notice a stop.</param>
    /// <param name="maxAnswer">Largest answer sent (the UDP limit).</param>
    public BatchedUdp(Socket socket, int maxAnswer)
    {
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _maxAnswer = maxAnswer;
        var headers = 2 * Size * sizeof(MMsgHdr);
        var vectors = 2 * Size * sizeof(IoVec);
        var total = headers + vectors + (Size * MaxQuery) + (Size * AddressSize) + (Size * maxAnswer);
        _block = (byte*)NativeMemory.AllocZeroed((nuint)total);
        _receive = (MMsgHdr*)_block;
        _send = _receive + Size;
        _receiveIov = (IoVec*)(_block + headers);
        _sendIov = _receiveIov + Size;
        _queries = _block + headers + vectors;
        _addresses = _queries + (Size * MaxQuery);
        _answers = _addresses + (Size * AddressSize);
        for (var i = 0; i < Size; i++)
        {
            _receiveIov[i] = new IoVec { Base = _queries + (i * MaxQuery), Length = MaxQuery };
            _sendIov[i] = new IoVec { Base = _answers + (i * maxAnswer), Length = 0 };
        }
    }

    /// <summary>Waits for at least one datagram and takes up to <see cref="Size"/>; 0 after the receive timeout.</summary>
    public int Receive()
    {
        for (var i = 0; i < Size; i++)
        {
            _receive[i].Header = new MsgHdr { Name = _addresses + (i * AddressSize), NameLength = AddressSize, Iov = _receiveIov + i, IovLength = 1 };
            _receive[i].Length = 0;
        }

        _pending = 0;
        var count = RecvMmsg(_fd, _receive, Size, MsgWaitForOne, null);
        if (count >= 0)
        {
            return count;
        }

        var error = Marshal.GetLastPInvokeError();
        return error is EAgain or EIntr ? 0 : throw new SocketException(error);
    }

    /// <summary>Datagram <paramref name="index"/> of the last receive; empty when it was cut (longer than <see cref="MaxQuery"/>).</summary>
    public ReadOnlySpan<byte> Query(int index) =>
        (_receive[index].Header.Flags & MsgTrunc) != 0 ? default : new ReadOnlySpan<byte>(_queries + (index * MaxQuery), (int)_receive[index].Length);

    /// <summary>The sender of datagram <paramref name="index"/>: a sockaddr_in or sockaddr_in6.</summary>
    public ReadOnlySpan<byte> Peer(int index) => new(_addresses + (index * AddressSize), (int)_receive[index].Header.NameLength);

    /// <summary>Queues <paramref name="answer"/> for the sender of datagram <paramref name="index"/>.</summary>
    public void Answer(int index, ReadOnlySpan<byte> answer)
    {
        if (answer.Length > _maxAnswer)
        {
            return;
        }

        var slot = _pending++;
        answer.CopyTo(new Span<byte>(_sendIov[slot].Base, _maxAnswer));
        _sendIov[slot].Length = (nuint)answer.Length;
        _send[slot].Header = new MsgHdr { Name = _addresses + (index * AddressSize), NameLength = _receive[index].Header.NameLength, Iov = _sendIov + slot, IovLength = 1 };
    }

    /// <summary>Sends every queued answer; a datagram the kernel refuses is skipped (the client retries).</summary>
    public void Flush()
    {
        var sent = 0;
        while (sent < _pending)
        {
            var count = SendMmsg(_fd, _send + sent, (uint)(_pending - sent), 0);
            if (count <= 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error is EIntr)
                {
                    continue;
                }

                sent++; // skip the one that failed
                continue;
            }

            sent += count;
        }

        _pending = 0;
    }

    /// <summary>The family of a sockaddr (AF_INET 2, AF_INET6 10 on Linux).</summary>
    public static AddressFamily FamilyOf(ReadOnlySpan<byte> peer) =>
        BinaryPrimitives.ReadUInt16LittleEndian(peer) == 10 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    public void Dispose() => NativeMemory.Free(_block);

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMmsg(int fd, MMsgHdr* messages, uint count, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }
}
