namespace KubeDns.Protocol;

/// <summary>Walking names in a received message (RFC 1035 §4.1.4: labels, ended by a zero or a pointer).</summary>
internal static class MessageNames
{
    /// <summary>The offset just after the name at <paramref name="position"/>, or -1 when it runs off the message.</summary>
    public static int Skip(ReadOnlySpan<byte> message, int position)
    {
        while (position >= 0 && position < message.Length)
        {
            var length = message[position];
            if (length == 0)
            {
                return position + 1;
            }

            if ((length & 0xC0) == 0xC0)
            {
                return position + 2 <= message.Length ? position + 2 : -1;
            }

            position += length + 1;
        }

        return -1;
    }
}
