using System.Buffers;
using System.Text;
using Serilog.Sinks.LogTrace.Pipeline;

namespace Serilog.Sinks.LogTrace.Tests.Pipeline;

// The memory outbox's formatted bodies: packed into pooled arrays, each array back in the pool exactly when its writer
// has moved on and every body in it is released, never while one is still to be sent.
public class BodySegmentsTests
{
    [Fact]
    public void BodiesAreKeptByteForByteAcrossSegments()
    {
        var pool = new CountingPool();
        var segments = new BodySegments(pool);
        var bodies = new List<(StoredBody Stored, byte[] Expected)>();
        // Just over an eighth of a segment each: seven fit in one, so twenty take three.
        for (var i = 0; i < 20; i++)
        {
            var expected = new byte[BodySegments.SegmentSize / 8 + 1];
            new Random(i).NextBytes(expected);
            bodies.Add((segments.Append(expected), expected));
        }

        foreach (var (stored, expected) in bodies)
            Assert.Equal(expected, stored.Bytes.ToArray());
        Assert.Equal(3, pool.Rented);
    }

    [Fact]
    public void ASegmentGoesBackOnlyWhenItsWriterMovedOnAndEveryBodyInItIsReleased()
    {
        var pool = new CountingPool();
        var segments = new BodySegments(pool);
        var first = segments.Append(new byte[BodySegments.SharedUpTo]);
        var second = segments.Append(new byte[BodySegments.SharedUpTo]);

        first.Release();
        second.Release();
        Assert.Equal(0, pool.Returned); // the writer still fills it

        var third = segments.Append(new byte[BodySegments.SharedUpTo]);
        var fourth = segments.Append(new byte[BodySegments.SharedUpTo]);
        var fifth = segments.Append(new byte[10]); // does not fit: the writer moves on
        Assert.Equal(2, pool.Rented);
        third.Release();
        Assert.Equal(0, pool.Returned);
        fourth.Release();
        Assert.Equal(1, pool.Returned);

        segments.Seal();
        Assert.Equal(1, pool.Returned);
        fifth.Release();
        Assert.Equal(2, pool.Returned);
    }

    [Fact]
    public void ALargeBodyHasAnArrayOfItsOwnThatGoesBackWhenReleased()
    {
        var pool = new CountingPool();
        var segments = new BodySegments(pool);
        var small = segments.Append(new byte[100]);
        var large = Enumerable.Range(0, BodySegments.SharedUpTo + 1).Select(i => (byte)i).ToArray();

        var stored = segments.Append(large);
        var after = segments.Append(new byte[100]);

        Assert.Equal(large, stored.Bytes.ToArray());
        Assert.Equal(2, pool.Rented);
        stored.Release();
        Assert.Equal(1, pool.Returned);
        // The small bodies before and after it share the first segment.
        Assert.Equal(100, after.Bytes.Length);
        small.Release();
        after.Release();
        segments.Seal();
        Assert.Equal(2, pool.Returned);
    }

    [Fact]
    public void ABodyExactlyTheSizeOfTheFreeSpaceFillsTheSegment()
    {
        var pool = new CountingPool();
        var segments = new BodySegments(pool);
        for (var i = 0; i < 4; i++)
            segments.Append(new byte[BodySegments.SharedUpTo]);
        Assert.Equal(1, pool.Rented);
        segments.Append(Array.Empty<byte>());
        Assert.Equal(1, pool.Rented);
        segments.Append(new byte[1]);
        Assert.Equal(2, pool.Rented);
    }

    sealed class CountingPool : ArrayPool<byte>
    {
        public int Rented;
        public int Returned;

        public override byte[] Rent(int minimumLength)
        {
            Rented++;
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false) => Returned++;
    }
}
