using System;
using System.Net.Http;

namespace Serilog.Sinks.LogTrace.Http;

// The sink never follows a redirect: every request carries the API key, and a redirect (an http:// endpoint the
// service sends to https://, a moved host, a captive proxy) would hand it, and on 307/308 the event too, to whatever
// host the Location names. A 3xx is answered as a configuration error instead; see docs in DeliveryPolicy.
static class RedirectGuard
{
    // The sink's own handler never redirects. A caller's handler does by default (AllowAutoRedirect is true on
    // HttpClientHandler and SocketsHttpHandler), and it cannot be changed here: it may be shared, or already in use.
    public static void RequireNoAutoRedirect(HttpMessageHandler handler)
    {
        var inner = handler;
        while (inner is DelegatingHandler delegating && delegating.InnerHandler != null)
            inner = delegating.InnerHandler;

        var follows = inner switch
        {
            HttpClientHandler clientHandler => clientHandler.AllowAutoRedirect,
#if NET8_0_OR_GREATER
            SocketsHttpHandler socketsHandler => socketsHandler.AllowAutoRedirect,
            _ => false,
#else
            // The netstandard2.0 build also runs on .NET Core (SocketsHttpHandler) and .NET Framework (WinHttpHandler).
            _ => inner.GetType().GetProperty("AllowAutoRedirect")?.GetValue(inner) is true,
#endif
        };
        if (follows)
        {
            throw new ArgumentException(
                "The HttpMessageHandler given to the LogTrace sink follows redirects (" + inner.GetType().Name + ".AllowAutoRedirect is true). " +
                "A redirect would send the API key to another host, so the sink never follows one: set AllowAutoRedirect = false on the handler.",
                "messageHandler");
        }
    }

    // Defence in depth for handlers the check above cannot see into: the request that was answered is not the one
    // that was sent.
    public static bool WasRedirected(HttpResponseMessage response, Uri sent)
    {
        var answered = response.RequestMessage?.RequestUri;
        // The sink's own handler answers the request it was given, whose Uri is the route itself: no comparison
        // (which builds two strings per request) is needed.
        if (ReferenceEquals(answered, sent))
            return false;
        return answered != null && Uri.Compare(answered, sent, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped,
            StringComparison.OrdinalIgnoreCase) != 0;
    }

    // Where the redirect pointed, for the SelfLog line: scheme, host, port and path only.
    public static string DescribeLocation(Uri? location, Uri sent)
    {
        if (location == null)
            return "no Location header";
        var absolute = location.IsAbsoluteUri ? location : new Uri(sent, location);
        // Neither user:password@ nor a query string: either may carry credentials.
        return absolute.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }
}
