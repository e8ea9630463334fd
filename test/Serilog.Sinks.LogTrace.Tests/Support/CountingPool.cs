using System.Buffers;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// An array pool that counts what is rented and given back (any thread), so a test can see that every array of
// formatted bodies went back once the records were settled.
sealed class CountingPool : ArrayPool<byte>
{
    int _rented;
    int _returned;

    public int Rented => Volatile.Read(ref _rented);

    public int Returned => Volatile.Read(ref _returned);

    public override byte[] Rent(int minimumLength)
    {
        Interlocked.Increment(ref _rented);
        return new byte[minimumLength];
    }

    public override void Return(byte[] array, bool clearArray = false) => Interlocked.Increment(ref _returned);
}
