using Microsoft.Data.Sqlite;

namespace Serilog.Sinks.LogTrace.Tests.Support;

// Damage done to a durable buffer's SQLite file on purpose, one page at a time (the store's pages are 4 KiB).
static class StorePages
{
    public const int PageSize = 4096;

    // Overwrites the 1-based page with bytes that are no SQLite page.
    public static void Overwrite(string file, long page)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.Position = (page - 1) * PageSize;
        stream.Write(Enumerable.Repeat((byte)0x5A, PageSize).ToArray(), 0, PageSize);
    }

    // The 1-based page number of a table's (or index's) root, read before the damage.
    public static long Root(string file, string name)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rootpage FROM sqlite_master WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return (long)command.ExecuteScalar()!;
    }

    // A page in the middle of the file.
    public static long Middle(string file) => new FileInfo(file).Length / PageSize / 2;
}
