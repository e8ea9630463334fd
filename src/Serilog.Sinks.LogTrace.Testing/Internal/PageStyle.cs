namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The page's style: no external assets, readable from 800 px (one column, the detail below the list) to wide screens
// (the detail beside the list).
internal static class PageStyle
{
    public const string Text = """
        * { box-sizing: border-box; }
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 10px 16px; background: #1d2330; color: #fff; }
        header h1 { font-size: 18px; margin: 0; flex: 0 0 auto; }
        #counts { flex: 1 1 auto; display: flex; flex-wrap: wrap; gap: 6px; }
        .count { background: #33405a; border-radius: 10px; padding: 1px 8px; font-size: 12px; white-space: nowrap; }
        .count.bad { background: #8a2431; }
        button { font: inherit; cursor: pointer; border: 1px solid #99a; border-radius: 4px; background: #fff; padding: 3px 10px; }
        #filters { display: flex; flex-wrap: wrap; gap: 12px; padding: 8px 16px; background: #e8ebf0; }
        #filters label { display: flex; align-items: center; gap: 4px; }
        #filters input { width: 12em; }
        #empty { margin: 24px 16px; padding: 16px; background: #fff; border: 1px dashed #99a; }
        #empty pre { font-size: 16px; background: #eef; padding: 8px; user-select: all; }
        main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; padding: 12px 16px; }
        main.with-detail { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #dde; vertical-align: top; overflow-wrap: break-word; }
        #list th, #rows td:nth-child(-n+2), #rows td:nth-child(5) { white-space: nowrap; }
        #rows td:nth-child(3), #rows td:nth-child(6) { overflow-wrap: anywhere; }
        th { background: #f0f2f5; position: sticky; top: 0; }
        #rows tr { cursor: pointer; }
        #rows tr:hover { background: #f3f6ff; }
        #rows tr.selected { background: #dfe8ff; }
        #rows tr.rejected td:nth-child(5) { color: #a3122a; font-weight: 600; }
        #rows tr.accepted td:nth-child(5) { color: #1d6b32; }
        #rows td:first-child { font-variant-numeric: tabular-nums; }
        #detail { background: #fff; border: 1px solid #ccd; padding: 8px 12px; position: relative; align-self: start; }
        #detail h2 { font-size: 16px; margin: 0 24px 4px 0; overflow-wrap: anywhere; }
        #detail h3 { font-size: 13px; margin: 10px 0 4px; }
        #close { position: absolute; top: 6px; right: 6px; padding: 0 6px; }
        pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 12px/1.35 ui-monospace, monospace; }
        #d-body { background: #f6f7f9; padding: 6px; max-height: 60vh; overflow: auto; }
        #d-headers td { font: 12px ui-monospace, monospace; }
        footer { padding: 8px 16px; color: #556; font-size: 12px; }
        @media (max-width: 1000px) {
          main.with-detail { grid-template-columns: minmax(0, 1fr); }
        }
        """;
}
