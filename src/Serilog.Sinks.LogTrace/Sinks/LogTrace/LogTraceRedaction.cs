using System;
using System.Collections.Generic;
using Serilog.Sinks.LogTrace.Redaction;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The one redaction policy of Serilog.Sinks.LogTrace and Serilog.Sinks.LogTrace.AspNetCore: which request headers,
/// query parameters and properties carry credentials, the marker that replaces their values, and how long values are cut. The sink
/// applies it on the wire, and the ASP.NET Core package when it captures a request, so what LogTrace redacts is
/// redacted wherever the request context goes. Add your own names at startup (a later change is safe too: each is
/// copied and published whole):
/// <c>LogTraceRedaction.SensitiveHeaders.Add("X-Tenant-Secret");</c>
/// </summary>
public static class LogTraceRedaction
{
    /// <summary>What a redacted value is replaced with.</summary>
    public const string Marker = "[REDACTED]";

    /// <summary>What ends a value that was cut at its length limit.</summary>
    public const string TruncationMarker = "…[truncated]";

    // The defaults of the three lists, as docs/redaction.md lists them (RedactionListsTests). Before the lists: static
    // fields are initialised in the order they are written.
    internal static readonly string[] DefaultSensitiveHeaders =
    {
        "Authorization", "Proxy-Authorization", "X-Forwarded-Authorization", "X-Authorization", "X-Upstream-Authorization",
        "Cookie", "Set-Cookie", "X-Client-Secret", "X-Api-Secret",
        "X-API-Key", "X-Api-Token", "X-Auth-Token", "X-Access-Token", "X-Refresh-Token", "X-Id-Token", "X-Session-Token",
        "X-CSRF-Token", "X-CSRFToken", "X-XSRF-Token",
        "X-Amz-Security-Token", "X-Amzn-Oidc-Accesstoken", "X-Amzn-Oidc-Data",
        "X-Goog-Api-Key", "X-Goog-Iap-Jwt-Assertion", "Cf-Access-Jwt-Assertion", "CF-Access-Client-Secret",
        "X-MS-TOKEN-AAD-ACCESS-TOKEN", "X-MS-TOKEN-AAD-ID-TOKEN", "X-MS-TOKEN-AAD-REFRESH-TOKEN",
        "Ocp-Apim-Subscription-Key", "X-Functions-Key", "X-Vault-Token", "Private-Token",
        "Api-Key", "ApiKey", "X-ApiKey", "X-Auth-Key", "X-Forwarded-Access-Token", "X-Auth-Request-Access-Token",
    };

    internal static readonly string[] DefaultSensitiveQueryParameters =
    {
        "token", "access_token", "refresh_token", "id_token", "api_token", "auth_token", "session_token", "code", "state",
        "password", "passwd", "pwd", "secret", "client_secret", "client_assertion", "key", "api_key", "private_key",
        "credential", "credentials", "authorization", "auth", "jwt", "sig", "signature", "session", "sessionid",
        "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "X-Goog-Signature", "X-Goog-Credential",
    };

    internal static readonly string[] DefaultSensitiveProperties =
    {
        "Password", "Passwd", "PasswordHash", "PasswordSalt", "CurrentPassword", "NewPassword", "ConfirmPassword", "OldPassword",
        "Secret", "ClientSecret", "ApiSecret", "SecurityStamp", "PrivateKey", "SecretKey",
        "CardNumber", "CreditCardNumber", "Cvv", "Cvv2", "Cvc", "CardSecurityCode", "Pin",
        "Token", "AccessToken", "RefreshToken", "IdToken", "AuthToken", "BearerToken", "ApiToken", "SessionToken",
        "ResetToken", "PasswordResetToken", "ApiKey", "Authorization", "Cookie", "ConnectionString",
        "TwoFactorSecret", "OtpSecret", "RecoveryCodes",
    };

    /// <summary>Request headers whose values are never sent or shown. Names compare ignoring case, with <c>_</c> as
    /// <c>-</c>. Default: credential and session headers (<c>Authorization</c>, <c>Proxy-Authorization</c>,
    /// <c>Cookie</c>, <c>Set-Cookie</c>, <c>X-API-Key</c>, <c>X-Auth-Token</c>, <c>X-Access-Token</c>,
    /// <c>X-CSRF-Token</c>, <c>X-XSRF-Token</c>, <c>X-Amz-Security-Token</c>, <c>X-Goog-Api-Key</c>,
    /// <c>Ocp-Apim-Subscription-Key</c>, ...; docs/redaction.md lists them all).</summary>
    public static ISet<string> SensitiveHeaders => SensitiveHeaderSet;

    // The sets themselves, not through the interface; changes are copied and published whole (CopyOnWriteSet), so an
    // application that adds a name while records are formatted never makes a lookup miss one.
    internal static readonly NameSet SensitiveHeaderSet = new(DefaultSensitiveHeaders, HeaderNameComparer.Instance);

    // Headers whose value is a URL: its query string is redacted like the request's own. Besides the browser's, the
    // copies of the request's own URL that hosts and proxies add (Azure App Service and IIS URL Rewrite on every
    // request, nginx, Traefik, Envoy): the query string that http_endpoint leaves out must not leave through them.
    static readonly HashSet<string> UrlHeaders = new(HeaderNameComparer.Instance)
    {
        "Referer", "Location", "Content-Location",
        "X-Original-URL", "X-WAWS-Unencoded-URL", "X-Original-URI", "X-Forwarded-Uri", "X-Envoy-Original-Path", "X-Rewrite-URL",
    };

    /// <summary>Query parameters whose values are never sent or shown (when the query string is included at all).
    /// Names compare the way frameworks bind them: ignoring case, <c>-</c> and <c>_</c>, a leading <c>x-</c>, spaces
    /// (a trailing <c>+</c>) and array or nesting suffixes, so <c>access-token</c>, <c>X-Api-Key</c>, <c>token[]</c>,
    /// <c>user[password]</c> and <c>password+</c> all match. Default: common token, code, password, key, credential and
    /// signature names.</summary>
    public static ISet<string> SensitiveQueryParameters => SensitiveQueryParameterSet;

    internal static readonly NameSet SensitiveQueryParameterSet = new(DefaultSensitiveQueryParameters, QueryParameterNameComparer.Instance);

    /// <summary>Properties whose values are never sent, wherever they stand in a record's <c>metadata</c>: a top-level
    /// property, a member of a structure (<c>{@Before}</c>, <c>{@After}</c>), a dictionary's key, at any depth, inside
    /// sequences too; the value (a whole structure or list included) is replaced by <see cref="Marker"/>, and the
    /// rendered message (<c>metadata.message</c>, an audit log's <c>description</c>) shows the marker in its place.
    /// Names compare ignoring case, <c>-</c> and <c>_</c>, so <c>PasswordHash</c>, <c>password_hash</c> and
    /// <c>password-hash</c> match; the whole name must match (<c>Token</c> does not match <c>TokenCount</c>). A
    /// record's own fields (<c>name</c>, <c>user_id</c>, <c>username</c>, a session's <c>token</c>,
    /// <c>request_details</c>) are never affected. Default: <c>Password</c>, <c>PasswordHash</c>, <c>Secret</c>,
    /// <c>SecurityStamp</c>, <c>CardNumber</c>, <c>Cvv</c>, <c>Token</c>, <c>AccessToken</c>, <c>RefreshToken</c>,
    /// <c>IdToken</c>, <c>ApiKey</c>, ... (docs/redaction.md lists them all). Add to it at startup (a later change
    /// is safe too: each is copied and published whole), or per sink with <see cref="LogTraceSinkOptions.SensitiveProperties"/>.</summary>
    public static ISet<string> SensitiveProperties => SensitivePropertySet;

    // The set itself, not through the interface: it is looked up for every property name the sink writes.
    internal static readonly PropertyNameSet SensitivePropertySet = new(DefaultSensitiveProperties);

    /// <summary>Whether a property's value must be redacted wherever it stands in a record's metadata.</summary>
    /// <param name="name">The property's name (a structure's member or a dictionary's key).</param>
    /// <returns><see langword="true"/> when the name matches one of <see cref="SensitiveProperties"/>.</returns>
    public static bool IsSensitiveProperty(string name) => SensitivePropertySet.Contains(name);

    /// <summary>Whether a request header's value must be redacted.</summary>
    /// <param name="name">The header's name.</param>
    /// <returns><see langword="true"/> when the name is in <see cref="SensitiveHeaders"/>.</returns>
    public static bool IsSensitiveHeader(string name) => SensitiveHeaderSet.Contains(name);

    /// <summary>A request header's value as it may be sent or shown: <see cref="Marker"/> for a sensitive header, the
    /// URL with sensitive query parameters redacted for <c>Referer</c> (a page's query string often carries a reset or
    /// sign-in token), else the value itself.</summary>
    /// <param name="name">The header's name.</param>
    /// <param name="value">The header's value.</param>
    /// <returns>The value to send or show.</returns>
    public static string RedactHeader(string name, string value) => IsSensitiveHeader(name) ? Marker : RedactUrlHeader(name, value);

    // The value of a header already known not to be sensitive: a URL's sensitive query parameters redacted.
    internal static string RedactUrlHeader(string name, string value) => UrlHeaders.Contains(name) ? RedactUrl(value) : value;

    // A URL or path with its query's sensitive parameters redacted, and its fragment's too: OAuth's implicit flow
    // returns access_token=... after the '#' of a Location. Unchanged when it has neither.
    internal static string RedactUrl(string url) =>
        url.IndexOf('#') is var hash and >= 0
            ? WithQueryRedacted(url.Substring(0, hash)) + "#" + RedactFragment(url.Substring(hash + 1))
            : WithQueryRedacted(url);

    // The part before a '?' as it is, the query from it redacted; unchanged without one.
    static string WithQueryRedacted(string part) =>
        part.IndexOf('?') is var query and >= 0 ? part.Substring(0, query) + RedactQuery(part.Substring(query)) : part;

    // A single-page application's route with a query of its own (#/callback?access_token=...), or a fragment that is
    // all parameters (access_token=...&state=...).
    static string RedactFragment(string fragment) =>
        fragment.IndexOf('?') >= 0 ? WithQueryRedacted(fragment) : RedactQuery(fragment).Substring(1);

    /// <summary>A query string (with or without its leading <c>?</c>) as the client sent it, encoding included, with
    /// the values of <see cref="SensitiveQueryParameters"/> replaced by <see cref="Marker"/>.</summary>
    /// <param name="queryString">The query string.</param>
    /// <returns>The redacted query string, starting with <c>?</c>.</returns>
    public static string RedactQuery(string queryString) => QueryStringRedactor.Redact(queryString);

    /// <summary>Whether a query parameter's value must be redacted.</summary>
    /// <param name="name">The parameter's name, decoded.</param>
    /// <returns><see langword="true"/> when the name matches one of <see cref="SensitiveQueryParameters"/>.</returns>
    public static bool IsSensitiveQueryParameter(string name) => SensitiveQueryParameterSet.Contains(name);

    /// <summary>Cuts a value to at most <paramref name="maxLength"/> UTF-16 characters, never between the two halves of
    /// a surrogate pair, and ends it with <see cref="TruncationMarker"/>; shorter values are returned as they are.</summary>
    /// <param name="value">The value.</param>
    /// <param name="maxLength">The most characters kept.</param>
    /// <returns>The value, cut if it was longer.</returns>
    public static string Truncate(string value, int maxLength)
    {
        if (value == null) throw new ArgumentNullException(nameof(value));
        if (value.Length <= maxLength)
            return value;
        var cut = Math.Max(0, maxLength);
        if (cut > 0 && char.IsHighSurrogate(value[cut - 1]))
            cut--;
        return value.Substring(0, cut) + TruncationMarker;
    }
}
