using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Serilog.Sinks.LogTrace.Benchmarks.Support;

// dotnet run -c Release --project test/Serilog.Sinks.LogTrace.Benchmarks -- --filter '*'   (docs/benchmarks.md)
if (args.Length > 0 && args[0] == NullEndpoint.Argument)
    return await NullEndpoint.ServeAsync();

// The benchmark processes inherit this process's environment: where to record figures, and the endpoint's address.
Environment.SetEnvironmentVariable(Measurements.FolderVariable, Path.Combine(Path.GetTempPath(), "logtrace-bench-measurements-" + Environment.ProcessId));
var (endpoint, baseUrl) = NullEndpoint.Start();
Environment.SetEnvironmentVariable(NullEndpoint.UrlVariable, baseUrl);
try
{
    // Medians beside the means: this machine is shared and noisy (docs/benchmarks.md).
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.AddColumn(StatisticColumn.Median));
    return 0;
}
finally
{
    NullEndpoint.Stop(endpoint);
    Measurements.Clear();
}
