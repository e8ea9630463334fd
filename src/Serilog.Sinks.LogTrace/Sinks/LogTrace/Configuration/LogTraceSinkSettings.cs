using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using Serilog.Sinks.LogTrace.Records;
using Serilog.Sinks.LogTrace.Accounting;

namespace Serilog.Sinks.LogTrace.Configuration;

// The options as the sink uses them: environment fallbacks applied, every value checked. Configuration mistakes
// fail when the logger is configured, with a message that says how to fix them, instead of losing events later.
sealed partial class LogTraceSinkSettings
{
    const string OfficialHost = "api.logtracehq.com";

    readonly string[] _routeTexts = new string[RecordKinds.Count];

    LogTraceSinkSettings(string apiKey, Uri baseUri, LogTraceSinkOptions options)
    {
        ApiKey = apiKey;
        BaseUri = baseUri;
        Options = options;
        for (var i = 0; i < _routeTexts.Length; i++)
            _routeTexts[i] = TextOf(RouteOf(baseUri, (RecordKind)i));
    }

    // The key and endpoint as resolved (environment fallbacks, normalised), and every other option as configured:
    // each component reads the options it uses from here.
    public string ApiKey { get; }
    // The ingestion base URL, without a trailing slash: each kind of record is posted to a route under it.
    public Uri BaseUri { get; }
    public Uri EventsUri => RouteOf(BaseUri, RecordKind.Event);
    // Each kind's route as the status, the before-send hook and a dry run show it (TextOf: with an IPv6 zone).
    public string RouteText(RecordKind kind) => _routeTexts[(int)kind];
    public LogTraceSinkOptions Options { get; }

    public static LogTraceSinkSettings Create(LogTraceSinkOptions options, Func<string, string?> environment)
    {
        if (options == null) throw new ArgumentNullException(nameof(options));
        // A copy: changing the caller's options object after the logger was created changes nothing.
        options = options.Clone();
        options.SensitiveProperties = options.SensitiveProperties == null ? new List<string>() : new List<string>(options.SensitiveProperties);

        var apiKey = ResolveApiKey(options.ApiKey, environment, options.DryRun);
        var baseUri = ResolveBaseUri(options.Endpoint, environment, apiKey);

        RequirePositive(options.BatchSizeLimit, "batchSizeLimit", nameof(LogTraceSinkOptions.BatchSizeLimit));
        RequirePositive(options.QueueLimit, "queueLimit", nameof(LogTraceSinkOptions.QueueLimit));
        RequirePositive(options.QueueLimitBytes, "queueLimitBytes", nameof(LogTraceSinkOptions.QueueLimitBytes));
        RequirePositive(options.MaxConcurrentRequests, "maxConcurrentRequests", nameof(LogTraceSinkOptions.MaxConcurrentRequests));
        // Each sender is a task and a connection; the service takes 100 requests a minute from one address, so more than
        // a few senders only wait. 100,000 of them took a gigabyte, int.MaxValue threw OutOfMemoryException.
        if (options.MaxConcurrentRequests > MaxConcurrentRequestsLimit)
        {
            throw new ArgumentOutOfRangeException("maxConcurrentRequests", options.MaxConcurrentRequests, string.Format(CultureInfo.InvariantCulture,
                "The LogTrace sink's maxConcurrentRequests (LogTraceSinkOptions.MaxConcurrentRequests) must be at most {0}; it was {1}. The service " +
                "takes 100 requests a minute from one address, so more senders only wait.", MaxConcurrentRequestsLimit, options.MaxConcurrentRequests));
        }
        RequirePositive(options.MaxStringLength, "maxStringLength", nameof(LogTraceSinkOptions.MaxStringLength));
        RequirePositive(options.MaxMetadataBytes, "maxMetadataBytes", nameof(LogTraceSinkOptions.MaxMetadataBytes));
        DurationRange.Require(options.Period, DurationRange.Period, "period", nameof(LogTraceSinkOptions.Period));
        DurationRange.Require(options.RequestTimeout, DurationRange.RequestTimeout, "requestTimeout", nameof(LogTraceSinkOptions.RequestTimeout));
        DurationRange.Require(options.RetryTimeLimit, DurationRange.RetryTimeLimit, "retryTimeLimit", nameof(LogTraceSinkOptions.RetryTimeLimit));
        DurationRange.Require(options.ShutdownTimeout, DurationRange.ShutdownTimeout, "shutdownTimeout", nameof(LogTraceSinkOptions.ShutdownTimeout));
        if (options.TimeProvider == null)
            throw new ArgumentNullException(nameof(options.TimeProvider));
        options.BufferPath = ResolveBufferPath(options.BufferPath);
        if (options.BufferSizeLimitBytes < MinBufferSizeLimitBytes)
        {
            throw new ArgumentOutOfRangeException("bufferSizeLimitBytes", options.BufferSizeLimitBytes, string.Format(CultureInfo.InvariantCulture,
                "The LogTrace sink's bufferSizeLimitBytes (LogTraceSinkOptions.BufferSizeLimitBytes) must be at least {0} (1 MiB); it was {1}.",
                MinBufferSizeLimitBytes, options.BufferSizeLimitBytes));
        }

        return new LogTraceSinkSettings(apiKey, baseUri, options);
    }

    internal const long MinBufferSizeLimitBytes = 1024 * 1024;

    internal const int MaxConcurrentRequestsLimit = 64;

    // The durable buffer's folder as a full path, %NAME% variables expanded; null when the buffer is off (not
    // configured). A blank path is a mistake (an unset placeholder, a stray quote), not a way to turn the buffer off:
    // it fails. A relative path is resolved against the application's base directory (AppContext.BaseDirectory), not
    // the current directory, which under a service manager is often "/". Whether the folder can be used is checked
    // when it is opened, also while the logger is created.
    static string? ResolveBufferPath(string? configured)
    {
        if (configured == null)
            return null;
        var path = configured.Trim();
        if (path.Length == 0)
        {
            throw new ArgumentException("The LogTrace bufferPath is blank. Set it to a folder for the durable buffer, or leave it out " +
                "(remove the argument or the setting) to keep records in memory only.", "bufferPath");
        }

        var expanded = Environment.ExpandEnvironmentVariables(path);
        var open = expanded.IndexOf('%');
        if (open >= 0 && expanded.IndexOf('%', open + 1) > open + 1)
        {
            throw new ArgumentException("The LogTrace bufferPath '" + path + "' names an environment variable that is not set in this process (" +
                expanded + "); set it, or configure a path without it.", "bufferPath");
        }

        try
        {
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, expanded));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or System.IO.PathTooLongException)
        {
            throw new ArgumentException("The LogTrace bufferPath '" + expanded + "' is not a valid folder path: " + ex.Message, "bufferPath", ex);
        }
    }

    // The URL a kind of record is posted to.
    public static Uri RouteOf(Uri baseUri, RecordKind kind) => WithPath(baseUri, baseUri.AbsolutePath.TrimEnd('/') + "/" + RecordKinds.Path(kind));

    // The URL with this path, and no query or fragment. UriBuilder(Uri) takes Uri.Host, which drops an IPv6 address's
    // zone (fe80::1%eth0 would become fe80::1, which no socket reaches): the zone is put back from IdnHost.
    static Uri WithPath(Uri uri, string path)
    {
        var builder = new UriBuilder(uri) { Path = path, Query = "", Fragment = "" };
        if (uri.HostNameType == UriHostNameType.IPv6)
            builder.Host = uri.IdnHost;
        return builder.Uri;
    }

    // The URL as the status, SelfLog and the durable buffer's owner record show it: Uri.ToString(), but with an IPv6
    // zone, which ToString drops (two zones are two links, so two endpoints).
    public static string TextOf(Uri uri)
    {
        if (uri.HostNameType != UriHostNameType.IPv6 || uri.IdnHost.IndexOf('%') < 0)
            return uri.ToString();
        return uri.Scheme + "://[" + uri.IdnHost + "]" + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture)) +
            uri.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.SafeUnescaped);
    }

    static Uri ResolveBaseUri(string? configured, Func<string, string?> environment, string apiKey)
    {
        var endpoint = configured?.Trim();
        if (string.IsNullOrEmpty(endpoint))
            endpoint = environment(LogTraceDefaults.EndpointVariable)?.Trim();
        if (string.IsNullOrEmpty(endpoint))
            endpoint = LogTraceDefaults.Endpoint;

        // The endpoint is shown in messages, SelfLog lines and the status: it must never hold the key (a curl line
        // pasted whole, a token-in-the-path habit from another service).
        if (apiKey.Length > 0 && endpoint!.IndexOf(apiKey, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException(
                "The LogTrace endpoint contains the API key. Give the key as apiKey (or LOGTRACE_API_KEY) and the endpoint as the ingestion base URL, e.g. " +
                LogTraceDefaults.Endpoint + ".", "endpoint");
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
            HasControlOrSpace(endpoint!))
        {
            // Swapped arguments put the API key here: never echo something that looks like one. Nor what may hold
            // user credentials (user:password@), which a URL that does not parse cannot be stripped of reliably.
            var shown = endpoint!.StartsWith("lg_", StringComparison.Ordinal) ? "(a value that looks like an API key)"
                : endpoint.IndexOf('@') >= 0 ? "(a value with an '@', which may hold user credentials: not shown)"
                : "'" + endpoint + "'";
            throw new ArgumentException(
                "The LogTrace endpoint " + shown + " is not an absolute http:// or https:// URL without spaces or control characters. Use the ingestion base URL, e.g. " +
                LogTraceDefaults.Endpoint + ", or leave it unset to use that default.", "endpoint");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException(
                "The LogTrace endpoint must not carry user credentials (user:password@); the sink authenticates with the API key.", "endpoint");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new ArgumentException(
                "The LogTrace endpoint must not carry a query string or fragment; use the ingestion base URL, e.g. " + LogTraceDefaults.Endpoint + ".",
                "endpoint");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/events", StringComparison.OrdinalIgnoreCase))
            path = path.Substring(0, path.Length - "/events".Length).TrimEnd('/');

        var baseUri = WithPath(uri, path);

        // The service itself is https only: over http it can only answer with a redirect, which is re-checked every
        // minute on every route, each time with the key in clear text.
        if (uri.Scheme == Uri.UriSchemeHttp && string.Equals(uri.Host.TrimEnd('.'), OfficialHost, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                "The LogTrace endpoint uses http:// for the LogTrace service, which takes https:// only; the API key would travel unencrypted. Use " +
                LogTraceDefaults.Endpoint + ".", "endpoint");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            QuietSelfLog.WriteLine("LogTrace: the endpoint {0} uses http://, so the API key travels unencrypted; use https:// outside local testing.",
                TextOf(WithPath(baseUri, "/")).TrimEnd('/'));
        }

        if (string.Equals(uri.Host, OfficialHost, StringComparison.OrdinalIgnoreCase) &&
            path.IndexOf("/developers", StringComparison.OrdinalIgnoreCase) < 0)
        {
            QuietSelfLog.WriteLine("LogTrace: the endpoint path {0} is not under /v1/developers; the service rejects API keys on other routes with 401.", path);
        }

        return baseUri;
    }

    static bool HasControlOrSpace(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
                return true;
        }
        return false;
    }

    static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    static void RequirePositive(int value, string parameter, string option)
    {
        if (value <= 0)
            throw NotPositive(value, parameter, option);
    }

    static void RequirePositive(long value, string parameter, string option)
    {
        if (value <= 0)
            throw NotPositive(value, parameter, option);
    }

    static ArgumentOutOfRangeException NotPositive(object value, string parameter, string option) =>
        new(parameter, value, string.Format(CultureInfo.InvariantCulture,
            "The LogTrace sink's {0} (LogTraceSinkOptions.{1}) must be greater than zero; it was {2}.", parameter, option, value));
}
