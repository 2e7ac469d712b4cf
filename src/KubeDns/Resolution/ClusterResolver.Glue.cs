using System.Buffers.Binary;
using KubeDns.Protocol;
using KubeDns.Zone;

namespace KubeDns.Resolution;

/// <summary>The additional section of an SRV answer: its targets' addresses (RFC 2782, "Additional data").</summary>
internal sealed partial class ClusterResolver
{
    /// <summary>Sets of one name whose glue is written; only SRV sets carry glue, and a name has one of each TYPE.</summary>
    private const int MaxSetsWithGlue = 4;

    /// <summary>
    /// Highest offset a compression pointer reaches (14 bits, RFC 1035 §4.1.4); a target past it (a long TCP
    /// answer) is written out instead.
    /// </summary>
    private const int MaxPointerOffset = 0x3FFF;

    /// <summary>
    /// Writes the glue of <paramref name="set"/>, whose answers were written from <paramref name="answersAt"/>
    /// with owners of <paramref name="ownerLength"/> bytes (2: the pointer to the question). Each glue record is
    /// owned by a pointer to its SRV target in that answer and takes the answer's TTL (<see cref="GlueItem"/>).
    /// Additional records are optional: the first that does not fit ends them, without TC.
    /// </summary>
    private static void AppendGlue(ref ResponseWriter writer, RecordSet set, int answersAt, int ownerLength)
    {
        var answers = set.Answers;
        var answerEnds = set.AnswerEnds;
        var glue = set.Glue;
        Span<byte> pointer = stackalloc byte[2];
        var start = 0;
        foreach (var end in set.GlueEnds)
        {
            var item = glue[start..end];
            start = end;
            var index = GlueItem.AnswerIndex(item);
            var recordStart = index == 0 ? 0 : answerEnds[index - 1];

            // The stored record: owner pointer (2), TYPE, CLASS, TTL, RDLENGTH (10), SRV priority, weight, port, target.
            var record = answers[recordStart..answerEnds[index]];
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(record[(2 + 4)..]);
            var target = record[(2 + RecordSet.FixedSize + RecordData.SrvTargetOffset)..];
            var targetAt = answersAt + recordStart + (index * (ownerLength - 2)) + ownerLength + RecordSet.FixedSize + RecordData.SrvTargetOffset;
            scoped ReadOnlySpan<byte> owner = target;
            if (targetAt <= MaxPointerOffset)
            {
                BinaryPrimitives.WriteUInt16BigEndian(pointer, (ushort)(0xC000 | targetAt));
                owner = pointer;
            }

            if (!writer.AppendAdditional(owner, GlueItem.Type(item), ttl, GlueItem.Address(item)))
            {
                return;
            }
        }
    }
}
