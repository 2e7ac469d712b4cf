using System.Buffers.Binary;
using KubeDns.Protocol;
using KubeDns.Zone;

namespace KubeDns.Tests.Zone;

/// <summary>Every set of a name in one array: each set reads back as written, in order, whatever the sizes' alignment.</summary>
public sealed class RecordSetsTests
{
    private static readonly byte[] Target = [3, (byte)'w', (byte)'e', (byte)'b', 0];

    [Fact]
    public void Encode_ThenEnumerate_GivesEachSetsRecordsAndEnds()
    {
        ZoneRecord[] addresses = [new(RecordType.A, 30, [10, 0, 0, 1]), new(RecordType.A, 30, [10, 0, 0, 2])];
        ZoneRecord[] cname = [new(RecordType.CNAME, 30, Target)]; // 5 bytes of RDATA: not a word multiple
        ZoneRecord[] txt = [new(RecordType.TXT, 30, [2, (byte)'h', (byte)'i'])];

        var sets = RecordSets.Encode([(RecordType.A, addresses), (RecordType.CNAME, cname), (RecordType.TXT, txt)]);

        var read = new List<RecordSet>();
        foreach (var set in sets)
        {
            read.Add(set);
        }

        Assert.Equal(3, sets.Count);
        Assert.Equal([RecordType.A, RecordType.CNAME, RecordType.TXT], read.Select(s => s.Type));
        // Each answer: pointer to the question (2), TYPE CLASS TTL RDLENGTH (10), RDATA.
        Assert.Equal([16, 32], read[0].AnswerEnds.ToArray());
        Assert.Equal(DnsHeader.PointerToQuestion, BinaryPrimitives.ReadUInt16BigEndian(read[0].Answers));
        Assert.Equal([10, 0, 0, 2], read[0].Answers[28..32].ToArray());
        Assert.Equal([2 + 10 + 5], read[1].AnswerEnds.ToArray());
        Assert.Equal(Target, read[1].Answers[12..].ToArray());
        Assert.Equal([2, (byte)'h', (byte)'i'], read[2].Answers[12..].ToArray());
    }

    [Fact]
    public void ANodeWithoutSets_IsAnEmptyNonTerminal()
    {
        var node = new ZoneNode(Target, ZoneNode.Encode([7], [], -1, [], null, []));

        Assert.True(node.Exists);
        Assert.Equal(0, node.Sets.Count);
        Assert.Null(node.Find(RecordType.A));
        Assert.False(node.HasCname);
        Assert.Equal(-1, node.ApexIndex);
        Assert.Equal([7], node.Contributors.ToArray());
    }

    [Fact]
    public void ANodesData_KeepsContributorsCnameApexAndSets_WordAligned()
    {
        ZoneRecord[] cname = [new(RecordType.CNAME, 30, Target)];

        // Three contributors and a 5-byte target: the sets start after padding, at a word boundary.
        var node = new ZoneNode(Target, ZoneNode.Encode([3, 1, 2], Target, 0, [(RecordType.CNAME, cname)], null, []));

        Assert.Equal([3, 1, 2], node.Contributors.ToArray());
        Assert.True(node.HasCname);
        Assert.Equal(Target, node.CnameTarget.ToArray());
        Assert.Equal(0, node.ApexIndex);
        var set = Assert.IsType<RecordSet>(node.Find(RecordType.CNAME));
        Assert.Equal([2 + 10 + Target.Length], set.AnswerEnds.ToArray());
        Assert.Equal(Target, set.Answers[12..].ToArray());
    }

    [Fact]
    public void DefaultNode_IsAnAbsentName()
    {
        Assert.False(default(ZoneNode).Exists);
    }
}
