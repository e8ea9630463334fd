using System;
using System.Globalization;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Configuration;

// The API key as the sink uses it: the option, else LOGTRACE_API_KEY, checked so that a mistake fails at configuration
// with the fix in the message, and never quoted in it.
sealed partial class LogTraceSinkSettings
{
    // A dry run needs no key (it sends nothing): without one it is "", which nothing redacts (TextSanitizer).
    static string ResolveApiKey(string? configured, Func<string, string?> environment, bool dryRun)
    {
        var apiKey = configured?.Trim();
        if (string.IsNullOrEmpty(apiKey))
            apiKey = environment(LogTraceDefaults.ApiKeyVariable)?.Trim();
        if (string.IsNullOrEmpty(apiKey) && dryRun)
            return "";

        if (string.IsNullOrEmpty(apiKey))
        {
            throw new InvalidOperationException(
                "The LogTrace sink needs an API key, and none was found. Either pass it as apiKey: WriteTo.LogTrace(apiKey: \"lg_...\") " +
                "(in appsettings.json: \"Args\": { \"apiKey\": \"...\" }), or set the " + LogTraceDefaults.ApiKeyVariable + " environment variable.");
        }

        // Serilog.Settings.Configuration leaves %NAME% as it is when the variable is not set.
        if (apiKey!.Length > 2 && apiKey[0] == '%' && apiKey[apiKey.Length - 1] == '%')
        {
            throw new InvalidOperationException(
                "The LogTrace API key is the placeholder " + apiKey + ", so the environment variable " + apiKey.Trim('%') +
                " is not set in this process. Set it, or configure the key another way.");
        }

        RequireHeaderSafe(apiKey);
        // Shorter than this the key could not be told from ordinary words, so it could not be kept out of what the
        // sink writes; real keys are lg_ and 32 hex digits.
        if (apiKey.Length < 8)
        {
            throw new ArgumentException("The LogTrace API key is " + apiKey.Length.ToString(CultureInfo.InvariantCulture) +
                " characters long, too short to be a LogTrace key (lg_ followed by hex digits).", "apiKey");
        }

        if (!apiKey.StartsWith("lg_", StringComparison.Ordinal))
            QuietSelfLog.WriteLine("LogTrace: the configured API key does not start with lg_; LogTrace keys do, so the service may answer 401.");
        else if (StrayCharacter(apiKey) is var stray and >= 0)
        {
            // Header-safe, so it is sent; but a quote or a ';' after lg_ is a copy-paste or env-file artefact, never
            // part of a key. Said now, not first as a 401 at the first record. The position, never the key.
            QuietSelfLog.WriteLine("LogTrace: the configured API key has '{0}' at position {1}, which a LogTrace key (lg_ followed by hex digits) " +
                "never has: a stray quote or separator from an env file or a copy? The service will answer 401 until it is removed.",
                apiKey[stray], stray + 1);
        }

        return apiKey;
    }

    // The first character after lg_ that is no letter, digit, '_' or '-'; -1 when there is none.
    static int StrayCharacter(string apiKey)
    {
        for (var i = 3; i < apiKey.Length; i++)
        {
            var c = apiKey[i];
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-'))
                return i;
        }
        return -1;
    }

    // The key goes into a header on every request: a control character would inject a header line (CR/LF), and a
    // non-ASCII one fails every request as if the network were down. Neither can ever be a LogTrace key. The
    // message names the position, never the key.
    static void RequireHeaderSafe(string apiKey)
    {
        var space = apiKey.IndexOf(' ');
        if (space > 0 && apiKey.Substring(0, space) is "Bearer" or "ApiKey" or "Basic" or "Token")
        {
            throw new ArgumentException(
                "The LogTrace API key starts with an authorization scheme (" + apiKey.Substring(0, space) + "); give the key alone (lg_...): " +
                "the sink sends it in the X-API-Key header.", "apiKey");
        }

        for (var i = 0; i < apiKey.Length; i++)
        {
            var c = apiKey[i];
            if (c is >= '!' and <= '~')
                continue;
            var what = c is '\r' or '\n' ? "a line break" : c is < ' ' or '\u007F' ? "a control character" : c == ' ' ? "a space" : "a non-ASCII character";
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                "The LogTrace API key contains {0} at position {1}, which cannot be sent in an HTTP header; LogTrace keys are lg_ followed by hex digits. " +
                "Check the configured value or the {2} environment variable for a stray character (a copy-paste artefact or a trailing newline inside quotes).",
                what, i + 1, LogTraceDefaults.ApiKeyVariable), "apiKey");
        }
    }
}
