using System;
using System.Text.Json;

namespace Serilog.Sinks.LogTrace.Testing;

/// <summary>The kinds of record the LogTrace service takes.</summary>
public enum LogTraceRecordKind
{
    /// <summary>An event: POST /v1/developers/events.</summary>
    Event,

    /// <summary>An audit log: POST /v1/developers/audit-logs.</summary>
    AuditLog,

    /// <summary>A session: POST /v1/developers/sessions.</summary>
    Session,

    /// <summary>A sign-out: POST /v1/developers/sessions/logout.</summary>
    SignOut,
}

/// <summary>A record the server accepted (answered 202).</summary>
public sealed class LogTraceRecord
{
    internal LogTraceRecord(LogTraceRequest request)
    {
        Request = request;
        Kind = request.Kind!.Value;
        Body = request.Body!.Value;
        Name = Kind switch
        {
            LogTraceRecordKind.Session => Text(Body, "status"),
            LogTraceRecordKind.SignOut => null,
            _ => Text(Body, "name"),
        };
    }

    /// <summary>The kind of record.</summary>
    public LogTraceRecordKind Kind { get; }

    /// <summary>The event or audit log name, or the session status; null for a sign-out.</summary>
    public string? Name { get; }

    /// <summary>The body as received.</summary>
    public JsonElement Body { get; }

    /// <summary>When the server received it.</summary>
    public DateTimeOffset ReceivedAt => Request.ReceivedAt;

    /// <summary>The request that carried it.</summary>
    public LogTraceRequest Request { get; }

    /// <inheritdoc />
    public override string ToString() => Kind + (Name == null ? "" : " '" + Name + "'");

    internal static string? Text(JsonElement body, string field) => Internal.ServiceValidation.Text(body, field);
}
