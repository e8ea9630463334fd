using System.Globalization;
using Serilog;
using Serilog.Debugging;

// Logs numbered LogTrace events through the durable buffer, for the tests that kill this process or restart it.
//   --buffer DIR --endpoint URL [--from N] [--count M] [--per-second R] [--shutdown-ms X] [--wait-stdin]
// --count -1 logs until the process is killed. With --wait-stdin the logger stays open (delivering what the
// buffer holds) until standard input closes. Prints "ready", then "logged N" after each event returns, then
// "closing"; SelfLog goes to standard error. The API key comes from LOGTRACE_API_KEY.
var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2)
    options[args[i].TrimStart('-')] = args[i + 1];
string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

SelfLog.Enable(line => Console.Error.WriteLine(line));
var from = Number("from", 0);
var count = Number("count", 0);
var perSecond = Number("per-second", 200);

Log.Logger = new LoggerConfiguration()
    .WriteTo.LogTrace(
        endpoint: Option("endpoint", "http://127.0.0.1:9/v1/developers"),
        bufferPath: Option("buffer", "buffer"),
        requestTimeout: TimeSpan.FromSeconds(2),
        shutdownTimeout: TimeSpan.FromMilliseconds(Number("shutdown-ms", 2000)))
    .CreateLogger();
Console.Out.WriteLine("ready");
Console.Out.Flush();

for (var n = from; count < 0 || n < from + count; n++)
{
    Log.ForContext("EventName", "buffer.test").ForContext("UserId", "child").Information("Event {Number}", n);
    Console.Out.WriteLine("logged " + n.ToString(CultureInfo.InvariantCulture));
    Console.Out.Flush();
    if (perSecond > 0)
        Thread.Sleep(1000 / perSecond);
}

if (Option("wait-stdin", "false") == "true")
    Console.In.ReadToEnd();
Console.Out.WriteLine("closing");
Console.Out.Flush();
Log.CloseAndFlush();
