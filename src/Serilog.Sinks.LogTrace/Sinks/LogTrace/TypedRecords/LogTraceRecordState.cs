using System;
using Serilog.Sinks.LogTrace.Records;
using System.Collections;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Text;

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

    /// <summary>The message with each placeholder replaced by its value (a session token by the redaction marker);
    /// a null value reads <c>(null)</c>, as Microsoft.Extensions.Logging's own formatter writes it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(_messageTemplate.Length + 16);
        for (var i = 0; i < _messageTemplate.Length; i++)
        {
            var c = _messageTemplate[i];
            var end = c == '{' ? _messageTemplate.IndexOf('}', i + 1) : -1;
            if (c == '{' && i + 1 < _messageTemplate.Length && _messageTemplate[i + 1] == '{')
            {
                text.Append('{');
                i++;
            }
            else if (end > i)
            {
                text.Append(Render(_messageTemplate.Substring(i + 1, end - i - 1)));
                i = end;
            }
            else
            {
                if (c == '}' && i + 1 < _messageTemplate.Length && _messageTemplate[i + 1] == '}')
                    i++;
                text.Append(c);
            }
        }
        return text.ToString();
    }

    string Render(string hole)
    {
        var name = hole.TrimStart('@', '$');
        var cut = name.IndexOfAny(new[] { ',', ':' });
        if (cut >= 0)
            name = name.Substring(0, cut);
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i].TrimStart('@', '$'), name, StringComparison.Ordinal))
                return Value(i) is { } value ? Convert.ToString(value, CultureInfo.CurrentCulture) ?? "" : "(null)";
        }
        return "{" + hole + "}";
    }
}
