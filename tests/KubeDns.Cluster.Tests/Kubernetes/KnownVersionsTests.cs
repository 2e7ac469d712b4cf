using KubeDns.Cluster.Kubernetes;
using KubeDns.Cluster.Model;

namespace KubeDns.Cluster.Tests.Kubernetes;

/// <summary>
/// The informer's record of what the sink holds: unchanged versions recognised, and a listing's deletes being
/// exactly the keys it did not see, also after a listing that broke off half-way.
/// </summary>
public sealed class KnownVersionsTests
{
    private static readonly ObjectKey A = new("default", "a");
    private static readonly ObjectKey B = new("default", "b");

    [Fact]
    public void AListing_RemovesExactlyTheKeysItDidNotSee()
    {
        var known = new KnownVersions();
        known.StartListing();
        known.Set(A, 10);
        known.Set(B, 11);
        Assert.Empty(known.RemoveUnseen());

        known.StartListing();
        Assert.True(known.IsCurrent(A, 10));

        Assert.Equal([B], known.RemoveUnseen());
        Assert.Equal(1, known.Count);
        Assert.False(known.IsCurrent(B, 11));
    }

    [Fact]
    public void AfterAListingThatBrokeOff_TheNextOneStillRemovesWhatNeitherSaw()
    {
        var known = new KnownVersions();
        known.StartListing();
        known.Set(A, 10);
        known.Set(B, 11);
        known.RemoveUnseen();

        known.StartListing(); // sees A, then fails: no deletes are computed
        Assert.True(known.IsCurrent(A, 10));

        known.StartListing(); // sees A only
        Assert.True(known.IsCurrent(A, 10));
        Assert.Equal([B], known.RemoveUnseen());
    }

    [Fact]
    public void AChangedVersion_IsNotCurrent_ButTheObjectCountsAsSeenOnceSet()
    {
        var known = new KnownVersions();
        known.StartListing();
        known.Set(A, 10);

        known.StartListing();
        Assert.False(known.IsCurrent(A, 12));
        known.Set(A, 12);

        Assert.Empty(known.RemoveUnseen());
        Assert.True(known.IsCurrent(A, 12));
    }

    [Theory]
    [InlineData("12345", 12345UL)]
    [InlineData("281474976710655", 281474976710655UL)] // 2^48 - 1: the largest stored
    [InlineData("281474976710656", 0UL)]
    [InlineData("18446744073709551615", 0UL)]
    [InlineData("abc", 0UL)]
    [InlineData("-1", 0UL)]
    [InlineData(null, 0UL)]
    public void Versions_ThatAreNotNumbersOrDoNotFit_AreStoredAsZero(string? text, ulong expected) =>
        Assert.Equal(expected, KnownVersions.Parse(text));

    [Fact]
    public void VersionZero_IsNeverCurrent()
    {
        var known = new KnownVersions();
        known.StartListing();
        known.Set(A, 0);

        Assert.False(known.IsCurrent(A, 0));
    }
}
