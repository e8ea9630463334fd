namespace Serilog.Sinks.LogTrace.Tests.Support;

// A value whose ToString() gives null, as a caller's type may.
sealed class NullText
{
    public override string? ToString() => null;
}

// A value whose ToString() throws, as a caller's type may.
sealed class UnprintableText
{
    public override string ToString() => throw new InvalidOperationException("no text");
}
