"""Interface text of the HTML report in English and Indonesian (agents read their own calls' reports).

Only the page's own words are translated; rubric titles, reasons and transcripts show as the rubric and
the call have them. Placeholders are ``str.format`` fields; values are escaped by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping

from callscore.errors import CallscoreError

EN: dict[str, str] = {
    "call": "Call",
    "duration": "duration",
    "scored": "scored",
    "passed": "passed",
    "failed": "failed",
    "pass": "pass",
    "fail": "fail",
    "not_applicable": "not applicable",
    "not_measured": "not measured",
    "verdict_pass": "✓ Critical items passed",
    "verdict_fail": "✗ Critical failure",
    "verdict_none": "Not scored",
    "critical": "critical",
    "weight": "weight",
    "value": "value",
    "matched": "matched “{phrase}”",
    "similarity": "similarity {value}",
    "play_from": "Play from {t}",
    "sec_critical": "Critical failures",
    "sec_timeline": "Who spoke when",
    "sec_voice": "How the agent sounded",
    "voice_calm": "Calm",
    "voice_confidence": "Confidence",
    "voice_curve": "Calm and confidence per window of {window} s (click a point to listen)",
    "voice_why": "What moved the score",
    "voice_not_measured": "not measured",
    "sec_attention": "Needs attention",
    "sec_done": "Done well",
    "sec_not_scored": "Not scored",
    "sec_transcript": "Transcript",
    "turns": "turns",
    "no_words": "The transcript has no words.",
    "details": "Details: metrics and settings",
    "settings": "Settings",
    "source": "Source",
    "rubric": "Rubric",
    "schema_version": "Schema version",
    "unknown": "unknown",
    "listen": "▶ Listen",
    "audio_missing": "Audio not found: {name}",
    "cannot_play": "Your browser cannot play {name}.",
    "agent": "Agent",
    "customer": "Customer",
    "speaker": "Speaker {label}",
    "talk_share": "Agent talk share",
    "interruptions_by_agent": "Interruptions by agent",
    "dead_air": "Dead air",
    "holds": "Holds",
    "hold": "Hold",
    "silence": "Silence",
    "legend_agent": "Agent speaking",
    "legend_customer": "Customer speaking",
    "legend_interruption": "Interruption",
    "legend_dead_air": "Dead air (> {bar} s)",
    "legend_hold": "Hold",
    "legend_evidence": "Evidence of a failed item",
    "interrupts": "interrupts",
    "interrupts_title": "Started while the other speaker was mid-turn",
    "mark_failed": "Failed: {title}",
    "mark_passed": "Passed: {title}",
    "svg_label": "Timeline of who spoke when",
    "svg_gap": "{what} {duration} at {start}–{end}",
    "svg_turn": "{who} {start}–{end}: {text}",
    "svg_interruption": "Interruption: {who} talked over {other} at {start} for {duration} s",
    "svg_backchannel": "Back-channel by {who} at {start}",
    "svg_failed": "Failed: {title} at {start}",
    "title_score": "score",
    "title_critical": "critical failure",
    "footer": "scorecard schema v{version} · this page works offline",
}

ID: dict[str, str] = {
    "call": "Panggilan",
    "duration": "durasi",
    "scored": "dinilai",
    "passed": "lulus",
    "failed": "gagal",
    "pass": "lulus",
    "fail": "gagal",
    "not_applicable": "tidak berlaku",
    "not_measured": "tidak terukur",
    "verdict_pass": "✓ Item kritis lulus",
    "verdict_fail": "✗ Gagal item kritis",
    "verdict_none": "Tidak dinilai",
    "critical": "kritis",
    "weight": "bobot",
    "value": "nilai",
    "matched": "cocok dengan “{phrase}”",
    "similarity": "kemiripan {value}",
    "play_from": "Putar dari {t}",
    "sec_critical": "Kegagalan kritis",
    "sec_timeline": "Siapa bicara kapan",
    "sec_voice": "Bagaimana suara agen",
    "voice_calm": "Tenang",
    "voice_confidence": "Percaya diri",
    "voice_curve": "Tenang dan percaya diri per jendela {window} detik (klik titik untuk mendengarkan)",
    "voice_why": "Yang menggerakkan skor",
    "voice_not_measured": "tidak terukur",
    "sec_attention": "Perlu diperbaiki",
    "sec_done": "Sudah baik",
    "sec_not_scored": "Tidak dinilai",
    "sec_transcript": "Transkrip",
    "turns": "giliran",
    "no_words": "Transkrip tidak berisi kata.",
    "details": "Rincian: metrik dan pengaturan",
    "settings": "Pengaturan",
    "source": "Sumber",
    "rubric": "Rubrik",
    "schema_version": "Versi skema",
    "unknown": "tidak diketahui",
    "listen": "▶ Dengarkan",
    "audio_missing": "Audio tidak ditemukan: {name}",
    "cannot_play": "Browser Anda tidak dapat memutar {name}.",
    "agent": "Agen",
    "customer": "Pelanggan",
    "speaker": "Pembicara {label}",
    "talk_share": "Porsi bicara agen",
    "interruptions_by_agent": "Interupsi oleh agen",
    "dead_air": "Hening",
    "holds": "Ditahan (hold)",
    "hold": "Ditahan (hold)",
    "silence": "Jeda",
    "legend_agent": "Agen bicara",
    "legend_customer": "Pelanggan bicara",
    "legend_interruption": "Interupsi",
    "legend_dead_air": "Hening (> {bar} s)",
    "legend_hold": "Ditahan (hold)",
    "legend_evidence": "Bukti item yang gagal",
    "interrupts": "menyela",
    "interrupts_title": "Mulai bicara saat pembicara lain belum selesai",
    "mark_failed": "Gagal: {title}",
    "mark_passed": "Lulus: {title}",
    "svg_label": "Linimasa siapa bicara kapan",
    "svg_gap": "{what} {duration} pada {start}–{end}",
    "svg_turn": "{who} {start}–{end}: {text}",
    "svg_interruption": "Interupsi: {who} menyela {other} pada {start} selama {duration} s",
    "svg_backchannel": "Respons singkat {who} pada {start}",
    "svg_failed": "Gagal: {title} pada {start}",
    "title_score": "skor",
    "title_critical": "gagal item kritis",
    "footer": "skema scorecard v{version} · halaman ini berfungsi offline",
}

LANGUAGES: dict[str, dict[str, str]] = {"en": EN, "id": ID}


def labels_for(lang: str) -> Mapping[str, str]:
    """The report's interface text in ``lang`` ("en" or "id")."""
    key = lang.strip().lower().split("-")[0]
    if key not in LANGUAGES:
        raise CallscoreError(f"html report: no interface text for language {lang!r} (choose en or id)")
    return LANGUAGES[key]


def speaker_label(labels: Mapping[str, str], label: str | None, role: str | None) -> str:
    """Display name of a speaker in the report's language: agent, customer, or "Speaker <label>"."""
    if role in ("agent", "customer"):
        return labels[role]
    return labels["speaker"].format(label=label or "?")
