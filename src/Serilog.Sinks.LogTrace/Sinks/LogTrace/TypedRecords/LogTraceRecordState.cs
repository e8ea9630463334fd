using System;
using Serilog.Sinks.LogTrace.Records;
using System.Collections;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using Serilog.Parsing;

namespace Serilog.Sinks.LogTrace;

/// <summary>
/// The state of a typed record written through <c>Microsoft.Extensions.Logging.ILogger</c>: what the generated methods
/// pass to <c>ILogger.Log</c>. Serilog's provider turns each pair into a property (a name starting with <c>@</c> is
/// captured as a structure) and <c>{OriginalFormat}</c> into the message template. Not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LogTraceRecordState : IReadOnlyList<KeyValuePair<string, object?>>
{
    const string OriginalFormat = "{OriginalFormat}";
    readonly string _messageTemplate;
    readonly string[] _names;
    readonly object?[] _values;

    /// <summary>The state of one call.</summary>
    /// <param name="messageTemplate">The message template.</param>
    /// <param name="names">The property names, in order (placeholders first).</param>
    /// <param name="values">Their values.</param>
    public LogTraceRecordState(string messageTemplate, string[] names, object?[] values)
    {
        _messageTemplate = messageTemplate;
        _names = names;
        _values = values;
    }

    /// <summary>Renders the message for providers other than Serilog's.</summary>
    public static readonly Func<LogTraceRecordState, Exception?, string> Format = (state, _) => state.ToString();

    /// <inheritdoc />
    public int Count => _names.Length + 1;

    /// <inheritdoc />
    public KeyValuePair<string, object?> this[int index] =>
        index == _names.Length ? new KeyValuePair<string, object?>(OriginalFormat, _messageTemplate)
        : (uint)index < (uint)_names.Length ? new KeyValuePair<string, object?>(_names[index], Value(index))
        : throw new ArgumentOutOfRangeException(nameof(index));

    // A session's token reaches Serilog's provider, and only the marker reaches the others (HiddenSessionToken). A
    // token of another type (a Guid) is first made text as the sink makes it (KnownFields.TokenText), so the wire is
    // the same and no provider sees it; one whose ToString() throws is passed on as
    // it is, which the sink counts unreadable and no provider can print either.
    object? Value(int index)
    {
        var value = _values[index];
        if (value == null || _names[index] != LogTraceProperties.SessionToken)
            return value;
        string? text;
        try
        {
            text = KnownFields.TokenText(value);
        }
        catch (Exception)
        {
            return value;
        }
        return string.IsNullOrEmpty(text) ? text : new HiddenSessionToken(text!);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The message other providers print: the template as Serilog parses it, each placeholder replaced by
    /// its value as Microsoft.Extensions.Logging's formatter writes one (a format and an alignment applied, in the
    /// invariant culture, a null as <c>(null)</c>, a sequence as its items' text joined by <c>", "</c>), a session token
    /// by the redaction marker. The invariant culture is the one the sink renders its own message in, and the one
    /// Microsoft's formatter uses. What Serilog reads as text (<c>{Count,abc}</c>) stays text. The template is parsed
    /// on each call: only providers other than Serilog's ask for it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(_messageTemplate.Length + 16);
        foreach (var token in Parser.Parse(_messageTemplate).Tokens)
        {
            if (token is PropertyToken hole)
                text.Append(Render(hole));
            else
                text.Append(((TextToken)token).Text);
        }
        return text.ToString();
    }

    static readonly MessageTemplateParser Parser = new();

    string Render(PropertyToken hole)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i].TrimStart('@', '$'), hole.PropertyName, StringComparison.Ordinal))
                return Aligned(Formatted(Value(i), hole.Format), hole.Alignment);
        }
        return hole.ToString();
    }

    static string Formatted(object? value, string? format) => value switch
    {
        null => "(null)",
        string text => text,
        HiddenSessionToken hidden => hidden.ToString(), // a list of the token: its items must not be printed
        IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", Items(items)),
        _ => value.ToString() ?? "",
    };

    // As Microsoft.Extensions.Logging's formatter: each item's own text, no format, a null item as (null).
    static IEnumerable<string> Items(IEnumerable items)
    {
        foreach (var item in items)
            yield return item == null ? "(null)" : Convert.ToString(item, CultureInfo.InvariantCulture) ?? "";
    }

    static string Aligned(string text, Alignment? alignment) =>
        alignment is not { } a ? text
        : a.Direction == AlignmentDirection.Left ? text.PadRight(a.Width)
        : text.PadLeft(a.Width);
}
