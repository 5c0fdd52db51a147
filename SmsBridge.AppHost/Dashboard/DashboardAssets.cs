using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SmsBridge.AppHost.Dashboard;

/// <summary>The dashboard's stylesheet and script, served from memory (no build step, no CDN).</summary>
internal static class DashboardAssets
{
    public static void MapDashboardAssets(this WebApplication app)
    {
        app.MapGet("/assets/dashboard.css", () => Results.Text(Css, "text/css; charset=utf-8"));
        app.MapGet("/assets/dashboard.js", () => Results.Text(Script, "text/javascript; charset=utf-8"));
        app.MapGet("/assets/icon.svg", () => Results.Text(Icon, "image/svg+xml"));
        app.MapGet("/favicon.ico", () => Results.Redirect("/assets/icon.svg"));
    }

    private const string Icon = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2f6fdd"/><path d="M4 5h8v5H7l-3 2z" fill="#fff"/></svg>""";

    private const string Css = """
        :root { --bg: #f6f7f9; --panel: #fff; --ink: #1d2430; --muted: #667085; --line: #e3e6eb; --accent: #2f6fdd;
                --ok: #1a7f43; --warn: #b26b00; --bad: #c4321c; --idle: #8a94a6; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--ink); }
        header { display: flex; align-items: center; gap: 24px; padding: 0 20px; height: 48px; background: #1d2430; color: #fff; }
        header .brand { font-weight: 600; letter-spacing: .02em; }
        header nav a { color: #c8d0de; text-decoration: none; padding: 14px 10px; display: inline-block; }
        header nav a.active, header nav a:hover { color: #fff; box-shadow: inset 0 -3px 0 var(--accent); }
        main { padding: 18px 20px 40px; }
        h1 { font-size: 20px; margin: 0 0 12px; font-weight: 600; }
        h2 { font-size: 16px; margin: 22px 0 8px; font-weight: 600; }
        a { color: var(--accent); }
        table { border-collapse: collapse; width: 100%; background: var(--panel); border: 1px solid var(--line); }
        th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #fafbfc; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
        .state { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--idle); }
        .state.Healthy { background: var(--ok); } .state.Running, .state.Starting { background: var(--warn); }
        .state.Unhealthy, .state.Exited { background: var(--bad); }
        .status-Error { color: var(--bad); font-weight: 600; } .status-Ok { color: var(--ok); }
        .muted, .window { color: var(--muted); } .window { font-size: 12px; margin: 6px 0 10px; }
        .dropped { font-weight: 600; }
        button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
        button:hover { border-color: var(--accent); } button:disabled { opacity: .5; cursor: wait; }
        details summary { cursor: pointer; color: var(--muted); }
        .health { max-width: 420px; white-space: pre-wrap; word-break: break-word; margin: 4px 0 0; }
        .console { background: #11161f; color: #d7dde8; padding: 12px; height: calc(100vh - 190px); overflow: auto; margin: 0; border-radius: 4px; white-space: pre-wrap; word-break: break-all; }
        .filters { display: flex; gap: 10px; align-items: end; flex-wrap: wrap; margin-bottom: 10px; }
        .filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
        .filters input, .filters select { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; min-width: 140px; }
        .waterfall td.bar { width: 45%; padding: 6px 10px; }
        .waterfall svg { width: 100%; height: 14px; display: block; }
        .waterfall rect.span { fill: var(--accent); } .waterfall rect.span.server { fill: #5b8def; } .waterfall rect.span.client { fill: #8e6bd8; }
        .waterfall rect.span.error { fill: var(--bad); } .waterfall rect.track { fill: #eef1f5; }
        .waterfall td.name { white-space: nowrap; max-width: 640px; overflow: hidden; text-overflow: ellipsis; }
        .svc { display: inline-block; padding: 0 6px; border-radius: 3px; background: #eef1f5; font-size: 12px; margin-right: 4px; }
        .attrs { margin: 6px 0 0; font-size: 12px; } .attrs td { padding: 2px 8px; border: 0; }
        .level-Warning { color: var(--warn); font-weight: 600; } .level-Error, .level-Critical { color: var(--bad); font-weight: 600; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; margin-bottom: 14px; }
        .card { background: var(--panel); border: 1px solid var(--line); padding: 10px 12px; }
        .card h3 { margin: 0 0 4px; font-size: 13px; font-weight: 600; }
        .card svg { width: 100%; height: 48px; display: block; } .card polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
        .refused { max-width: 520px; margin: 60px auto; background: var(--panel); border: 1px solid var(--line); padding: 24px; }
        """;

    private const string Script = """
        "use strict";
        // Live pages re-render their main section every two seconds, unless the reader has something open.
        (function () {
          const main = document.getElementById("main");
          if (main && main.dataset.live === "true") {
            setInterval(async () => {
              if (document.hidden || main.querySelector("details[open]") || main.contains(document.activeElement)) return;
              const response = await fetch(location.href, { credentials: "same-origin" });
              if (!response.ok) return;
              const doc = new DOMParser().parseFromString(await response.text(), "text/html");
              const next = doc.getElementById("main");
              if (next) main.innerHTML = next.innerHTML;
            }, 2000);
          }

          document.addEventListener("click", async (event) => {
            const button = event.target.closest("button[data-action]");
            if (!button) return;
            button.disabled = true;
            const row = button.closest("tr");
            const note = row && row.querySelector(".action-note");
            if (note) note.textContent = button.dataset.action + "ing…";
            const response = await fetch("/resources/" + encodeURIComponent(button.dataset.resource) + "/" + button.dataset.action,
              { method: "POST", credentials: "same-origin", headers: { "X-Dashboard-Action": "1" } });
            if (note) note.textContent = response.ok ? "" : "failed: " + (await response.text());
            button.disabled = false;
          });

          const output = document.getElementById("console");
          if (output && output.dataset.stream) {
            const keep = Number(output.dataset.keep || "2000");
            const source = new EventSource(output.dataset.stream);
            source.onmessage = (event) => {
              const atBottom = output.scrollTop + output.clientHeight >= output.scrollHeight - 20;
              output.appendChild(document.createTextNode(event.data + "\n"));
              while (output.childNodes.length > keep) output.removeChild(output.firstChild);
              if (atBottom) output.scrollTop = output.scrollHeight;
            };
          }
        })();
        """;
}
