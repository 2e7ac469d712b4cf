using System.Buffers.Binary;
using KubeDns.Protocol;
using KubeDns.Zone;

namespace KubeDns.Tests.Zone;

/// <summary>Every set of a name in one array: each set reads back as written, in order, whatever the sizes' alignment.</summary>
public sealed class RecordSetsTests
{
    private static readonly byte[] Target = [3, (byte)'w', (byte)'e', (byte)'b', 0];

    [Fact]
    public void Encode_ThenEnumerate_GivesEachSetsRecordsEndsAndGlue()
    {
        ZoneRecord[] addresses = [new(RecordType.A, 30, [10, 0, 0, 1]), new(RecordType.A, 30, [10, 0, 0, 2])];
        byte[] other = [2, (byte)'d', (byte)'b', 0];
        ZoneRecord[] srv =
        [
            new(RecordType.SRV, 30, [0, 0, 0, 50, 0, 5, .. other]),
            new(RecordType.SRV, 30, [0, 0, 0, 50, 0, 80, .. Target]), // 11 bytes: not a word multiple
        ];
        GlueRecord[] glue = [new(RecordType.SRV, Target, RecordType.A, 30, [10, 0, 0, 1]), new(RecordType.SRV, other, RecordType.AAAA, 30, new byte[16])];

        var sets = RecordSets.Encode([(RecordType.A, addresses, []), (RecordType.SRV, srv, glue)]);

        var read = new List<RecordSet>();
        foreach (var set in sets)
        {
            read.Add(set);
        }

        Assert.Equal(2, sets.Count);
        Assert.Equal([RecordType.A, RecordType.SRV], read.Select(s => s.Type));
        // Each answer: pointer to the question (2), TYPE CLASS TTL RDLENGTH (10), RDATA.
        Assert.Equal([16, 32], read[0].AnswerEnds.ToArray());
        Assert.Equal(DnsHeader.PointerToQuestion, BinaryPrimitives.ReadUInt16BigEndian(read[0].Answers));
        Assert.Equal([10, 0, 0, 2], read[0].Answers[28..32].ToArray());
        Assert.True(read[0].Glue.IsEmpty);
        Assert.Equal([2 + 10 + 10, 2 + 10 + 10 + 2 + 10 + 11], read[1].AnswerEnds.ToArray());

        // Glue: which answer's target owns it, its TYPE and address; owner and TTL are the answer's.
        Assert.Equal([6 + 4, 6 + 4 + 6 + 16], read[1].GlueEnds.ToArray());
        var first = read[1].Glue[..10];
        Assert.Equal(1, GlueItem.AnswerIndex(first));
        Assert.Equal(RecordType.A, GlueItem.Type(first));
        Assert.Equal([10, 0, 0, 1], GlueItem.Address(first).ToArray());
        var second = read[1].Glue[10..];
        Assert.Equal(0, GlueItem.AnswerIndex(second));
        Assert.Equal(RecordType.AAAA, GlueItem.Type(second));
        Assert.Equal(16, GlueItem.Address(second).Length);
    }

    [Fact]
    public void GlueWhoseOwnerIsNoSrvTarget_IsABuilderError()
    {
        ZoneRecord[] srv = [new(RecordType.SRV, 30, [0, 0, 0, 100, 0, 80, .. Target])];
        GlueRecord[] glue = [new(RecordType.SRV, [2, (byte)'d', (byte)'b', 0], RecordType.A, 30, [10, 0, 0, 1])];

        Assert.Throws<InvalidOperationException>(() => RecordSets.Encode([(RecordType.SRV, srv, glue)]));
    }

    [Fact]
    public void ANodeWithoutSets_IsAnEmptyNonTerminal()
    {
        var node = new ZoneNode(Target, ZoneNode.Encode([7], [], -1, [], []));

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
        var node = new ZoneNode(Target, ZoneNode.Encode([3, 1, 2], Target, 0, [(RecordType.CNAME, cname, [])], []));

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
