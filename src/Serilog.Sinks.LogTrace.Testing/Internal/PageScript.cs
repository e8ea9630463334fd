namespace Serilog.Sinks.LogTrace.Testing.Internal;

// The page's script: polls /_collector/feed twice a second for what arrived since the last poll, keeps one list of
// the requests the server still keeps (newest first: those older than the feed's "oldest" are let go, as the server
// let them go), and renders values with textContent only (never innerHTML).
internal static class PageScript
{
    public const string Text = """
        "use strict";
        (function () {
          const kinds = { "event": "event", "audit-log": "audit log", "session": "session", "session-logout": "sign-out", "other": "other route" };
          const state = { epoch: null, last: 0, entries: [], selected: null, endpoint: "", dropped: 0 };
          const $ = (id) => document.getElementById(id);

          function el(tag, text, className) {
            const node = document.createElement(tag);
            if (text !== undefined && text !== null) node.textContent = String(text);
            if (className) node.className = className;
            return node;
          }

          function time(iso) {
            const d = new Date(iso);
            return isNaN(d) ? String(iso) : d.toLocaleTimeString(undefined, { hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0");
          }

          function outcome(e) { return e.accepted ? "accepted" : "rejected"; }

          function filtered() {
            const kind = $("f-kind").value, out = $("f-outcome").value;
            const name = $("f-name").value.trim().toLowerCase(), user = $("f-user").value.trim().toLowerCase();
            return state.entries.filter((e) =>
              (!kind || e.kind === kind) &&
              (!out || outcome(e) === out) &&
              (!name || (e.name || "").toLowerCase().includes(name)) &&
              (!user || (e.user || "").toLowerCase().includes(user)));
          }

          function renderCounts() {
            const counts = $("counts");
            counts.replaceChildren();
            const by = {};
            let accepted = 0, rejected = 0;
            for (const e of state.entries) {
              by[e.kind] = (by[e.kind] || 0) + 1;
              if (e.accepted) accepted++; else rejected++;
            }
            for (const k of Object.keys(kinds)) if (by[k]) counts.append(el("span", kinds[k] + ": " + by[k], "count"));
            counts.append(el("span", "accepted: " + accepted, "count"));
            counts.append(el("span", "rejected: " + rejected, rejected ? "count bad" : "count"));
            if (state.dropped) counts.append(el("span", "older requests let go: " + state.dropped, "count"));
          }

          function renderRows() {
            const rows = $("rows");
            rows.replaceChildren();
            for (const e of filtered()) {
              const tr = el("tr", null, outcome(e));
              tr.dataset.id = e.id;
              tr.append(el("td", time(e.received_at)), el("td", kinds[e.kind] || e.kind), el("td", e.kind === "other" ? e.method + " " + e.path : e.name),
                el("td", e.user), el("td", e.accepted ? "202 accepted" : (e.status || "no answer") + " rejected"), el("td", e.message));
              if (state.selected === e.id) tr.classList.add("selected");
              tr.addEventListener("click", () => select(e.id));
              rows.append(tr);
            }
            $("empty").hidden = state.entries.length > 0;
            $("list").hidden = state.entries.length === 0;
          }

          function renderDetail() {
            const e = state.entries.find((x) => x.id === state.selected);
            $("detail").hidden = !e;
            document.querySelector("main").classList.toggle("with-detail", !!e);
            if (!e) return;
            $("d-title").textContent = (kinds[e.kind] || e.kind) + (e.name ? ": " + e.name : "");
            $("d-summary").textContent = e.method + " " + e.path + " → " + (e.status || "no answer") + (e.message ? " " + e.message : "") +
              " · received " + e.received_at + " · request id " + e.request_id + " · client " + e.client_ip;
            $("d-body").textContent = e.body !== null && e.body !== undefined ? JSON.stringify(e.body, null, 2) : (e.body_text || "(empty body)");
            const tbody = $("d-headers").querySelector("tbody");
            tbody.replaceChildren();
            for (const [name, value] of e.headers) {
              const tr = el("tr");
              tr.append(el("td", name), el("td", value));
              tbody.append(tr);
            }
          }

          function select(id) {
            state.selected = state.selected === id ? null : id;
            renderRows();
            renderDetail();
          }

          function render() { renderCounts(); renderRows(); renderDetail(); }

          let busy = false;
          async function poll() {
            if (busy) return;
            busy = true;
            try {
              const response = await fetch("/_collector/feed?after=" + state.last, { cache: "no-store" });
              const feed = await response.json();
              let changed = false;
              if (feed.epoch !== state.epoch) {
                const refetch = state.epoch !== null && state.last !== 0;
                state.epoch = feed.epoch;
                state.entries = [];
                state.selected = null;
                state.last = 0;
                changed = true;
                if (refetch) { render(); return; } // cleared: the next poll fetches from the start
              }
              if (feed.endpoint !== state.endpoint) {
                state.endpoint = feed.endpoint;
                $("endpoint").textContent = feed.endpoint;
                $("endpoint-inline").textContent = feed.endpoint;
              }
              if (feed.dropped !== state.dropped) { state.dropped = feed.dropped; changed = true; }
              if (feed.oldest > 0 && state.entries.length > 0 && state.entries[state.entries.length - 1].id < feed.oldest) {
                state.entries = state.entries.filter((e) => e.id >= feed.oldest);
                if (state.selected !== null && state.selected < feed.oldest) state.selected = null;
                changed = true;
              }
              for (const e of feed.entries) {
                state.entries.unshift(e);
                state.last = Math.max(state.last, e.id);
                changed = true;
              }
              if (changed || !state.rendered) { state.rendered = true; render(); }
            } catch (err) {
              state.rendered = false;
              $("counts").replaceChildren(el("span", "collector unreachable: " + err, "count bad"));
            } finally {
              busy = false;
            }
          }

          $("clear").addEventListener("click", async () => {
            await fetch("/_collector/requests", { method: "DELETE" });
            poll();
          });
          $("close").addEventListener("click", () => select(state.selected));
          for (const id of ["f-kind", "f-outcome", "f-name", "f-user"]) for (const type of ["input", "change"]) $(id).addEventListener(type, renderRows);

          poll();
          setInterval(poll, 500);
        })();
        """;
}
