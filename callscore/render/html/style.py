"""The stylesheet and the one small script of the HTML report, inlined so the file works offline.

The script only seeks the audio player when a timestamp, turn or marker is clicked, moves the timeline's
playhead and highlights the turn being played. The page's Content-Security-Policy allows exactly this
script (by its SHA-256), so nothing else can run even if a future bug let markup through.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root {
  --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f5f6f8; --card: #ffffff;
  --agent: #2563eb; --agent-bg: #eff6ff; --customer: #0f766e; --customer-bg: #f0fdfa;
  --pass: #15803d; --pass-bg: #dcfce7; --fail: #b91c1c; --fail-bg: #fee2e2;
  --warn: #b45309; --warn-bg: #fef3c7; --na: #6b7280; --na-bg: #f3f4f6; --hold: #4f46e5;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial,
    sans-serif;
}
main { max-width: 1080px; margin: 0 auto; padding: 24px 20px 48px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h2 { font-size: 18px; margin: 0 0 12px; }
h2 .count { color: var(--muted); font-weight: 400; font-size: 15px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px;
  margin: 0 0 16px; }
a { color: inherit; }
.muted { color: var(--muted); }
.summary { display: flex; gap: 24px; align-items: center; justify-content: space-between; flex-wrap: wrap; }
.summary > div:first-child { flex: 1 1 420px; min-width: 0; }
.summary h1 { font-size: 22px; word-break: break-all; }
.summary .meta { color: var(--muted); font-size: 14px; margin-top: 4px; }
.summary .meta span { white-space: nowrap; }
.counts { margin-top: 10px; display: flex; gap: 8px; flex-wrap: wrap; }
.score { display: flex; align-items: center; gap: 16px; }
.score-num { font-size: 44px; font-weight: 700; line-height: 1; font-variant-numeric: tabular-nums; }
.score-num small { font-size: 16px; font-weight: 500; color: var(--muted); }
.score.good .score-num { color: var(--pass); }
.score.fair .score-num { color: var(--warn); }
.score.poor .score-num { color: var(--fail); }
.score.none .score-num { color: var(--na); }
.verdict { display: inline-block; padding: 6px 12px; border-radius: 999px; font-weight: 700; font-size: 14px;
  letter-spacing: .02em; }
.verdict.pass { background: var(--pass-bg); color: var(--pass); }
.verdict.fail { background: var(--fail); color: #fff; }
.verdict.none { background: var(--na-bg); color: var(--na); }
.chip { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 13px;
  background: var(--na-bg);
  color: var(--ink); white-space: nowrap; }
.chip b { font-variant-numeric: tabular-nums; }
.chip.pass { background: var(--pass-bg); color: var(--pass); }
.chip.fail { background: var(--fail-bg); color: var(--fail); }
.player { position: sticky; top: 0; z-index: 5; padding: 10px 16px; display: flex; gap: 12px;
  align-items: center; }
.player audio { width: 100%; height: 36px; }
.player .label { font-weight: 600; white-space: nowrap; }
.critical { border: 2px solid var(--fail); background: #fff7f7; }
.critical h2 { color: var(--fail); }
.items { display: grid; gap: 10px; }
.item { border: 1px solid var(--line); border-left: 5px solid var(--na); border-radius: 8px;
  padding: 10px 14px;
  background: var(--card); break-inside: avoid; }
.item.pass { border-left-color: var(--pass); }
.item.fail { border-left-color: var(--fail); }
.item.not_measured { border-left-color: var(--warn); border-left-style: dashed; }
.item.is-critical.fail { background: #fffafa; }
.item-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.item-head h3 { font-size: 15px; }
.item-head .id { color: var(--muted); font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.item-head .weight { margin-left: auto; color: var(--muted); font-size: 13px; white-space: nowrap; }
.badge { display: inline-block; min-width: 58px; text-align: center; padding: 1px 8px; border-radius: 6px;
  font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; }
.badge.pass { background: var(--pass-bg); color: var(--pass); }
.badge.fail { background: var(--fail-bg); color: var(--fail); }
.badge.not_applicable { background: var(--na-bg); color: var(--na); }
.badge.not_measured { background: var(--warn-bg); color: var(--warn); }
.badge.crit { background: var(--fail); color: #fff; min-width: 0; }
.item .reason { margin: 4px 0 0; }
.item .desc { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
.evidence { list-style: none; margin: 8px 0 0; padding: 0; }
.evidence li { margin: 4px 0; padding-left: 10px; border-left: 2px solid var(--line); }
.evidence q { font-style: italic; }
.evidence .note, .evidence .match { color: var(--muted); font-size: 13px; }
a.ts { font: 600 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; text-decoration: none;
  background: var(--na-bg); border-radius: 4px; padding: 1px 5px; color: var(--agent); cursor: pointer; }
a.ts:hover { background: #dbeafe; }
.who { font-weight: 600; font-size: 13px; }
.who.agent { color: var(--agent); }
.who.customer { color: var(--customer); }
details.compact > summary { cursor: pointer; color: var(--muted); }
.tl-scroll { overflow-x: auto; }
.timeline { width: 100%; min-width: 640px; height: auto; display: block; }
.timeline .lane { fill: #f9fafb; stroke: var(--line); }
.timeline .lane-label { font-size: 13px; font-weight: 600; fill: var(--ink); }
.timeline .grid { stroke: #eef0f3; }
.timeline .tick { font-size: 11px; fill: var(--muted); }
.timeline .turn { cursor: pointer; }
.timeline .turn.agent { fill: var(--agent); }
.timeline .turn.customer { fill: #14b8a6; }
.timeline .turn.other { fill: #9ca3af; }
.timeline .turn:hover { opacity: .75; }
.timeline .silence { fill: #f3f4f6; }
.timeline .deadair { fill: url(#hatch-gap); }
.timeline .hold { fill: url(#hatch-hold); }
.timeline .interruption rect { fill: #dc2626; fill-opacity: .35; stroke: #dc2626; stroke-width: 1.5; }
.timeline .interruption path { fill: #dc2626; }
.timeline .backchannel { fill: #9ca3af; }
.timeline .ev-marker { fill: #dc2626; cursor: pointer; }
.timeline .playhead { stroke: #111827; stroke-width: 1.5; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; color: var(--muted);
  margin-top: 8px; }
.legend i { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin-right: 5px;
  vertical-align: -1px; }
.legend .l-agent { background: var(--agent); }
.legend .l-customer { background: #14b8a6; }
.legend .l-int { background: #fca5a5; border: 1.5px solid #dc2626; }
.legend .l-dead { background: repeating-linear-gradient(45deg, #fef3c7 0 3px, #d97706 3px 5px); }
.legend .l-hold { background: repeating-linear-gradient(-45deg, #e0e7ff 0 3px, #6366f1 3px 5px); }
.legend .l-ev { width: 0; height: 0; border-radius: 0; border-left: 6px solid transparent;
  border-right: 6px solid transparent; border-top: 10px solid #dc2626; }
.voice { display: flex; gap: 16px; flex-wrap: wrap; }
.voice-score { flex: 1 1 260px; }
.voice-score .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
.voice-curve { width: 100%; max-width: 640px; height: auto; }
.voice-curve circle { cursor: pointer; }
.metrics { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 12px; }
.transcript { display: flex; flex-direction: column; gap: 8px; }
.turn-block { max-width: 78%; padding: 8px 12px; border-radius: 10px; break-inside: avoid;
  scroll-margin-top: 70px; }
.turn-block.agent { background: var(--agent-bg); align-self: flex-start; border-top-left-radius: 2px; }
.turn-block.customer { background: var(--customer-bg); align-self: flex-end; border-top-right-radius: 2px; }
.turn-block.other { background: var(--na-bg); align-self: flex-start; }
.turn-block.now { outline: 2px solid var(--agent); }
.turn-block:target { outline: 2px solid #f59e0b; }
.turn-block .meta { display: flex; gap: 8px; align-items: center; font-size: 13px; }
.turn-block p { margin: 4px 0 0; overflow-wrap: anywhere; }
.tag { font-size: 11px; font-weight: 700; text-transform: uppercase; padding: 0 6px; border-radius: 4px; }
.tag.int { background: var(--fail-bg); color: var(--fail); }
mark.ev { border-radius: 3px; padding: 0 2px; }
mark.ev.fail { background: #fecaca; color: #7f1d1d; box-shadow: inset 0 -2px 0 #dc2626; }
mark.ev.pass { background: #bbf7d0; color: #14532d; }
mark.ev.other { background: #e5e7eb; }
.gapline { align-self: center; font-size: 12px; color: var(--muted); padding: 2px 10px; border-radius: 999px;
  background: var(--na-bg); }
.gapline.deadair { background: var(--warn-bg); color: var(--warn); }
.gapline.hold { background: #e0e7ff; color: var(--hold); }
table.kv { border-collapse: collapse; font-size: 13px; width: 100%; }
table.kv td { border-top: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
table.kv td:first-child { color: var(--muted); white-space: nowrap; width: 1%; }
h3.sub { font-size: 14px; margin: 12px 0 4px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; margin: 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 8px; }
@media (max-width: 640px) { .turn-block { max-width: 100%; } .score-num { font-size: 34px; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section { border: none; padding: 8px 0; margin: 0 0 10px; break-inside: auto; }
  .player, .no-print { display: none !important; }
  .critical { border: 2px solid var(--fail); padding: 8px 10px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a.ts { color: var(--ink); background: none; padding: 0; }
  .turn-block { max-width: 100%; }
  .timeline { min-width: 0; }
  details.compact > *:not(summary) { display: block; }
}
""".strip()

SCRIPT = """
(function () {
  document.documentElement.setAttribute("data-js", "on");
  var audio = document.getElementById("player");
  if (!audio) { return; }
  document.addEventListener("click", function (ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest("[data-t]") : null;
    if (!el) { return; }
    var t = parseFloat(el.getAttribute("data-t"));
    if (isNaN(t)) { return; }
    audio.currentTime = Math.max(0, t - 0.3);
    var p = audio.play();
    if (p && p.catch) { p.catch(function () {}); }
  });
  var blocks = Array.prototype.slice.call(document.querySelectorAll(".turn-block[data-start]"));
  var svg = document.querySelector("svg.timeline");
  var head = document.getElementById("playhead");
  var current = null;
  audio.addEventListener("timeupdate", function () {
    var t = audio.currentTime, found = null;
    for (var i = 0; i < blocks.length; i++) {
      var b = blocks[i];
      if (t >= parseFloat(b.dataset.start) && t <= parseFloat(b.dataset.end) + 0.3) { found = b; break; }
    }
    if (found !== current) {
      if (current) { current.classList.remove("now"); }
      if (found) { found.classList.add("now"); }
      current = found;
    }
    if (svg && head) {
      var x0 = parseFloat(svg.dataset.x0), span = parseFloat(svg.dataset.span);
      var dur = parseFloat(svg.dataset.dur);
      var x = x0 + span * Math.min(t, dur) / dur;
      head.setAttribute("x1", x); head.setAttribute("x2", x); head.style.display = "";
    }
  });
})();
""".strip()


def script_hash(script: str = SCRIPT) -> str:
    """CSP source for an inline script: ``'sha256-<base64 digest>'`` of its exact text."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: str = SCRIPT) -> str:
    """The report's policy: no network, no scripts but ours, media from the embedded data or a local file."""
    return (
        "default-src 'none'; "
        f"script-src {script_hash(script)}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "media-src data: blob: file: 'self'; "
        "base-uri 'none'; form-action 'none'"
    )
