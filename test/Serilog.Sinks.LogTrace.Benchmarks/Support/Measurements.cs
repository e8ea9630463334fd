using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Serilog.Sinks.LogTrace.Benchmarks.Support;

// Figures BenchmarkDotNet does not measure itself (CPU per event, memory per queued event, peak working set, the
// slowest logging call). The benchmark process records one value per iteration in a file; the host's column shows the
// median. The folder is passed to the benchmark processes in an environment variable (Program.cs).
static class Measurements
{
    public const string FolderVariable = "LOGTRACE_BENCH_MEASUREMENTS";

    static string Folder => Environment.GetEnvironmentVariable(FolderVariable) ?? Path.Combine(Path.GetTempPath(), "logtrace-bench-measurements");

    public static void Record(string benchmark, string key, double value)
    {
        Directory.CreateDirectory(Folder);
        System.IO.File.AppendAllText(FileFor(benchmark, key), value.ToString("R", CultureInfo.InvariantCulture) + "\n");
    }

    public static double? Median(string benchmark, string key)
    {
        var values = Values(benchmark, key).OrderBy(v => v).ToArray();
        if (values.Length == 0)
            return null;
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }

    // The largest of the `count` values before the last `after`: the measured iterations, which BenchmarkDotNet runs
    // after the warm-up ones, and before the one extra run a memory, threading or exception diagnoser asks for.
    public static double? MaxOfLast(string benchmark, string key, int count, int after = 0)
    {
        var values = Values(benchmark, key);
        var end = Math.Max(0, values.Length - after);
        return end == 0 ? null : values.Take(end).Skip(Math.Max(0, end - count)).Max();
    }

    // The values recorded for the benchmark, in the order recorded; none when nothing was.
    static double[] Values(string benchmark, string key)
    {
        var file = FileFor(benchmark, key);
        return System.IO.File.Exists(file)
            ? System.IO.File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray()
            : Array.Empty<double>();
    }

    public static void Clear()
    {
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }

    static string FileFor(string benchmark, string key) => Path.Combine(Folder, benchmark + "." + key + ".txt");
}

// A column showing the median of one recorded figure for each benchmark, or, given maxOfLast, the largest of the last
// that many (the measured iterations: "no single call over 10 ms" is about every call, not the median iteration's).
sealed class MeasurementColumn : IColumn
{
    readonly string _key;
    readonly string _format;
    readonly int _maxOfLast;

    public MeasurementColumn(string key, string header, string format, int maxOfLast = 0)
    {
        _key = key;
        _format = format;
        _maxOfLast = maxOfLast;
        ColumnName = header;
    }

    public string Id => "LogTrace." + _key + (_maxOfLast > 0 ? ".max" : "");
    public string ColumnName { get; }
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _maxOfLast > 0
        ? "Largest figure recorded by the last " + _maxOfLast + " iterations (" + _key + ")"
        : "Median of the figure recorded by each iteration (" + _key + ")";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var name = benchmarkCase.Descriptor.WorkloadMethod.Name;
        var value = _maxOfLast > 0
            ? Measurements.MaxOfLast(name, _key, _maxOfLast, after: benchmarkCase.Config.HasExtraStatsDiagnoser() ? 1 : 0)
            : Measurements.Median(name, _key);
        return value is { } v ? v.ToString(_format, CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
