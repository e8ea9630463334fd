using Microsoft.Extensions.Time.Testing;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Durable;

namespace Serilog.Sinks.LogTrace.Tests.Support;

static class TestStores
{
    // The durable store in a folder, as the sink opens it, with a dead-letter folder of 1 MiB on a fake clock.
    public static SqliteEventStore Open(string folder) =>
        SqliteEventStore.Open(folder, new DeadLetterFolder(folder, 1024 * 1024, new FakeTimeProvider()));
}
