"""Render ``examples/README.md`` from ``truth.json``, so the human-readable truth never drifts from the data.

Called by ``make_examples.py`` after every build; ``tests/test_examples.py`` checks the committed README
equals what this renders from the committed ``truth.json``.
"""

from __future__ import annotations

from pathlib import Path

HEADER = """\
# Example calls

Six short Indonesian customer-service calls that every feature of callscore is demonstrated and tested on,
plus the test fixture `tests/data/short_stereo.wav`. They are synthetic: two espeak-ng voices, one per role,
placed on a timeline whose every time is known, so the truth below is exact: times in seconds from the start
of the file, rounded to 1 ms here (`truth.json` has them to 0.1 ms); a turn starts and ends on audible speech.

**Generated file: do not edit.** The scripts are in `examples/example_scripts.py`;
`examples/make_examples.py` rebuilds the audio, `truth.json` and this README
(`python examples/make_examples.py`, needs espeak-ng; the same espeak-ng version rebuilds the files
byte for byte). `examples/transcribe_examples.py` writes `tests/data/example_transcripts/<name>.json`, what
the bundled Whisper base model hears in each call (transcript schema of
`callscore/transcript/model.py`; kept out of this folder so `callscore score examples/` scores each call
once), and `whisper_base_transcripts.md`, which
compares it line by line with the script. `examples/check_rubric.py` scores every example with
`callscore score` and lists each expected outcome the scorer does not reproduce (exit 1 when any).

Layout: stereo files carry the agent on channel 0 (LEFT) and the customer on channel 1 (RIGHT), as call
recorders do; the mono file mixes both voices. Every channel carries line noise at -70 dBFS (silence is
never digital zero); speech is about -24 dBFS RMS. `expected` lists the rubric outcome (item ids of
`rubrics/id-contact-centre.yaml`) for the items the scenario is about; items not listed are not asserted.

"""


def _fmt(t: float) -> str:
    return f"{t:.3f}"


def readme_text(truth: dict) -> str:
    """The README for ``truth`` (the parsed ``truth.json``)."""
    lines = [HEADER, "| file | format | length | shows |", "|---|---|---|---|"]
    for e in truth["examples"].values():
        lines.append(f"| `{e['file']}` | {e['format']} | {e['duration']:.1f} s | {e['shows']} |")
    for name, e in truth.get("fixtures", {}).items():
        lines.append(f"| `{e['file']}` ({name}) | {e['format']} | {e['duration']:.1f} s | {e['shows']} |")
    lines.append("")
    for name, e in {**truth["examples"], **truth.get("fixtures", {})}.items():
        lines += _section(name, e)
    gen = truth["generator"]
    lines.append(f"Generated with espeak-ng {gen['espeak_ng']}, mixed at {gen['mix_rate']} Hz.")
    return "\n".join(lines) + "\n"


def _section(name: str, e: dict) -> list[str]:
    out = [f"## {name}", ""]
    out.append(
        f"`{e['file']}`: {e['format']}, {e['duration']:.2f} s. Voices: agent `{e['voices']['agent']}` "
        f"({e['speed_wpm']['agent']} wpm), customer `{e['voices']['customer']}` "
        f"({e['speed_wpm']['customer']} wpm). Talk time agent {e['talk_time']['agent']:.1f} s, customer "
        f"{e['talk_time']['customer']:.1f} s (agent share {e['agent_talk_ratio']:.2f})."
    )
    out += ["", "| # | speaker | start | end | text |", "|---|---|---|---|---|"]
    for i, t in enumerate(e["turns"], 1):
        out.append(f"| {i} | {t['role']} | {_fmt(t['start'])} | {_fmt(t['end'])} | {t['text']} |")
    out.append("")
    for o in e["overlaps"]:
        out.append(
            f"- Overlap {_fmt(o['start'])}-{_fmt(o['end'])} s ({o['duration']:.3f} s): the {o['by']} starts "
            f"while the {o['held_by']} is still speaking."
        )
    for s in e["silences"]:
        what = "nobody speaks; hold music plays in it" if s["kind"] == "hold" else "dead air, nobody speaks"
        out.append(f"- Silence {_fmt(s['start'])}-{_fmt(s['end'])} s ({s['duration']:.3f} s): {what}.")
    for h in e["holds"]:
        out.append(
            f"- Hold music {_fmt(h['start'])}-{_fmt(h['end'])} s ({h['end'] - h['start']:.3f} s) on channel "
            f"{h['channel']} (agent line)."
        )
    if not e["overlaps"] and not e["silences"]:
        out.append("- No overlaps; no silence of 3 s or more.")
    if e["expected"]:
        out.append("- Expected: " + ", ".join(f"`{k}` {v}" for k, v in e["expected"].items()) + ".")
    out.append("")
    return out


def write_readme(truth: dict, folder: Path) -> Path:
    """Write ``folder/README.md`` for ``truth``."""
    path = folder / "README.md"
    path.write_text(readme_text(truth), encoding="utf-8")
    return path
