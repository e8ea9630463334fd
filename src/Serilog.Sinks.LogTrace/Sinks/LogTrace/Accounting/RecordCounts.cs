using System.Globalization;
using System.Text;
using Serilog.Sinks.LogTrace.Records;

namespace Serilog.Sinks.LogTrace.Accounting;

// How SelfLog lines name a number of records by kind: "12 audit logs", "1 event", "8 records (5 events, 2 audit logs,
// 1 session)", and, for those whose kind is not known (a damaged store's), "3 records". `byKind` is indexed by
// RecordKind (RecordKinds.Count long); a count beyond its sum is of unknown kind. `more` goes between the number and the noun: "3 more events".
static class RecordCounts
{
    public static string Describe(long total, long[]? byKind, string? more = null)
    {
        var head = total.ToString(CultureInfo.InvariantCulture) + (more == null ? " " : " " + more + " ");
        var counts = byKind ?? [];
        long known = 0;
        int kinds = 0, only = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] <= 0)
                continue;
            known += counts[k];
            kinds++;
            only = k;
        }
        if (kinds == 0 || known > total)
            return head + (total == 1 ? "record" : "records");
        if (kinds == 1 && known == total)
            return head + Noun(only, total);

        var text = new StringBuilder(head).Append("records (");
        var first = true;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] <= 0)
                continue;
            if (!first)
                text.Append(", ");
            first = false;
            text.Append(counts[k].ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Noun(k, counts[k]));
        }
        if (known < total)
            text.Append(", ").Append((total - known).ToString(CultureInfo.InvariantCulture)).Append(" of unknown kind");
        return text.Append(')').ToString();
    }

    static string Noun(int kind, long count) => RecordKinds.Label((RecordKind)kind) + (count == 1 ? "" : "s");
}
