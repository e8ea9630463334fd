using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Serilog.Sinks.LogTrace.Accounting;
using Serilog.Sinks.LogTrace.Buffering;
using Serilog.Sinks.LogTrace.Configuration;

namespace Serilog.Sinks.LogTrace.Durable;

// A backlog belongs to the API key and the endpoint it was logged under. The store keeps both with its records (the
// endpoint, and a hash of the key: never the key itself), and a start with another configuration decides:
// - another endpoint that had accepted records from this buffer: the records are held. Another endpoint may be another
//   tenant or environment, and sending its records there would be a leak no one could undo. The buffer is left as it
//   is and this logger delivers from memory (the status and the health check say why), until a logger with the old
//   endpoint starts on the folder;
// - another endpoint that never accepted a record from this buffer (refused or unreachable all along): the change is a
//   fix, and the records are sent to the new endpoint; SelfLog says so;
// - the same endpoint, another key: the records are sent with the new key, and SelfLog says so. A changed key is
//   usually a fix (a rotated or corrected key), and the account is the endpoint's;
// - a store without the values (empty, or written before they were kept) takes the current ones.
static class BacklogOwner
{
    internal const string KeyHashName = "api_key_sha256";
    internal const string EndpointName = "endpoint";
    internal const string AcceptedName = "accepted_by";

    // Null when the store may be used (it now carries this configuration); else why its records are held.
    public static string? Claim(EventStore store, LogTraceSinkSettings settings)
    {
        var endpoint = LogTraceSinkSettings.TextOf(settings.BaseUri);
        var keyHash = KeyHash(settings.ApiKey);
        var count = store.Count;
        if (count > 0)
        {
            var theirEndpoint = store.ReadMeta(EndpointName);
            if (theirEndpoint != null && !string.Equals(theirEndpoint, endpoint, StringComparison.Ordinal))
            {
                if (string.Equals(store.ReadMeta(AcceptedName), theirEndpoint, StringComparison.Ordinal))
                {
                    return string.Format(CultureInfo.InvariantCulture,
                        "it holds {0} records logged for another endpoint ({1}), which are kept there until a logger with that endpoint starts on it",
                        count, theirEndpoint);
                }
                QuietSelfLog.WriteLine("{0}", string.Format(CultureInfo.InvariantCulture,
                    "LogTrace: the {0} in the durable buffer at {1} were logged for {2}, which never accepted a record from this buffer; " +
                    "they are sent to {3}", RecordCounts.Describe(count, null), store.Folder, theirEndpoint, endpoint));
            }
            var theirKey = store.ReadMeta(KeyHashName);
            if (theirKey != null && !string.Equals(theirKey, keyHash, StringComparison.Ordinal))
            {
                QuietSelfLog.WriteLine("LogTrace: the {0} in the durable buffer at {1} were logged under another API key; they are sent with " +
                    "the current one, to the same endpoint {2}", RecordCounts.Describe(count, null), store.Folder, endpoint);
            }
        }
        store.WriteMeta(EndpointName, endpoint);
        store.WriteMeta(KeyHashName, keyHash);
        return null;
    }

    // The endpoint accepted a record from this buffer: a later start with another endpoint holds the backlog.
    public static void Accepted(EventStore store, string endpoint)
    {
        if (!string.Equals(store.ReadMeta(AcceptedName), endpoint, StringComparison.Ordinal))
            store.WriteMeta(AcceptedName, endpoint);
    }

    // Enough to tell two keys apart, nothing that gives the key back.
    internal static string KeyHash(string apiKey)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(apiKey));
        var text = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
