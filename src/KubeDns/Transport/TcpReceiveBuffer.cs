using System.Buffers;
using System.Buffers.Binary;

namespace KubeDns.Transport;

/// <summary>
/// The receive side of one TCP connection: bytes read from the socket, split into messages by their two-byte
/// length prefix (RFC 1035 §4.2.2). The array comes from <see cref="ArrayPool{T}"/>; it starts small (queries
/// are short) and grows to fit a long message. <see cref="Dispose"/> returns it.
/// </summary>
internal sealed class TcpReceiveBuffer : IDisposable
{
    private const int PrefixLength = 2;
    private const int InitialSize = 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;

    /// <summary>Where the next socket read goes. Never empty after <see cref="TryTakeMessage"/> returned false.</summary>
    public Memory<byte> FreeSpace => _buffer.AsMemory(_end);

    /// <summary>Bytes received but not yet taken as a message (a partial message).</summary>
    public int Pending => _end - _start;

    /// <summary>Records that <paramref name="count"/> bytes were read into <see cref="FreeSpace"/>.</summary>
    public void Commit(int count) => _end += count;

    /// <summary>
    /// Takes the next complete message, without its prefix. The memory is valid until the next call. When no
    /// complete message is buffered, returns false and makes room for the rest of the partial one.
    /// </summary>
    public bool TryTakeMessage(out ReadOnlyMemory<byte> message)
    {
        int pending = _end - _start;
        int needed = PrefixLength;
        if (pending >= PrefixLength)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start, PrefixLength));
            needed += length;
            if (pending >= needed)
            {
                message = _buffer.AsMemory(_start + PrefixLength, length);
                _start += needed;
                return true;
            }
        }

        MakeRoom(needed);
        message = default;
        return false;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Ensures the partial message at _start, `needed` bytes in all, fits between _start and the end of the array.
    private void MakeRoom(int needed)
    {
        int pending = _end - _start;

        // After a long message, go back to a small array: 1000 idle connections must not each keep 64 KiB.
        bool oversized = _buffer.Length > InitialSize && needed <= InitialSize;
        if (!oversized && _buffer.Length - _start >= needed && _start < _end)
        {
            return;
        }

        byte[] target = _buffer;
        if (_buffer.Length < needed || oversized)
        {
            target = ArrayPool<byte>.Shared.Rent(Math.Max(needed, InitialSize));
        }

        _buffer.AsSpan(_start, pending).CopyTo(target);
        if (!ReferenceEquals(target, _buffer))
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = target;
        }

        _start = 0;
        _end = pending;
    }
}
