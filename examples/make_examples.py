"""Rebuild the bundled example calls (and the test fixture) from their scripts, deterministically.

Each example is a short Indonesian customer-service call spoken by two espeak-ng voices, one per role.
Lines are synthesised one by one, trimmed to their audible extent, resampled to 16 kHz and placed on a
timeline whose every time is known, so ``truth.json`` holds the exact turns, overlaps, silences and holds
alongside the audio. The agent goes on the LEFT channel and the customer on the RIGHT (call-recorder
layout); the mono example mixes both.

Usage::

    python examples/make_examples.py                   # rebuild everything (examples, tests/data fixture,
                                                       # truth.json and README.md)
    python examples/make_examples.py --only good_call  # one example
    python examples/make_examples.py --out /tmp/x      # somewhere else (truth.json goes there too)

Needs the ``espeak-ng`` program (Debian package ``espeak-ng``); mixing and encoding use numpy, scipy and
soundfile only. The same espeak-ng version gives bit-identical samples (the version is stored in
truth.json); a different version may pronounce differently.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from example_scripts import (  # next to this script, which puts its folder on sys.path
    AGENT,
    ALL,
    CHANNEL_OF,
    CUSTOMER,
    EXAMPLES,
    Example,
    Hold,
    Output,
    Pause,
    Voice,
)

SAMPLE_RATE = 16000  # Hz, the mixing rate; 8 kHz files are decimated from it
ESPEAK_RATE = 22050  # Hz, what espeak-ng writes
SPEECH_LEVEL_DBFS = -24.0  # RMS of each synthesised line, dBFS (lower where PEAK_LIMIT would be passed)
PEAK_LIMIT = 0.7  # linear; no line peaks above -3 dBFS, leaving headroom for codec overshoot (no clipping)
NOISE_LEVEL_DBFS = -70.0  # RMS of the line noise on every channel, dBFS (silence is never digital zero)
MUSIC_LEVEL_DBFS = -22.0  # RMS of the hold music, dBFS
TRIM_LEVEL = 0.01  # |sample| under this at a line's edges counts as silence (espeak pads its output)
LEAD_IN = 0.6  # s before the first line
TAIL = 0.8  # s after the last line
SILENCE_REPORT_MIN = 3.0  # s; gaps at least this long are listed as silences in truth.json


HERE = Path(__file__).resolve().parent
REPO = HERE.parent


class ExampleBuildError(RuntimeError):
    """The example cannot be built (espeak-ng missing or failing, unknown example name)."""


# ---------------------------------------------------------------------------------------------------------
# Synthesis and mixing
# ---------------------------------------------------------------------------------------------------------
def espeak_version() -> str:
    """Version string of the installed espeak-ng (e.g. "1.51")."""
    exe = _espeak_exe()
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    # "eSpeak NG text-to-speech: 1.51  Data at: ..."
    return out.split(":", 1)[1].split()[0] if ":" in out else out.strip()


def tool_versions() -> dict[str, str]:
    """Versions of the libraries whose output ends up in the files (resampling, encoding)."""
    import scipy
    import soundfile as sf

    return {"libsndfile": sf.__libsndfile_version__, "scipy": scipy.__version__, "numpy": np.__version__}


def _espeak_exe() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise ExampleBuildError("espeak-ng not found: install it (Debian: apt-get install espeak-ng)")
    return exe


def synthesize(*, text: str, voice: Voice) -> np.ndarray:
    """Speak ``text`` with ``voice``; trimmed, level-normalised float32 mono at 16 kHz.

    Parameters
    ----------
    text : Indonesian text.
    voice : espeak-ng voice, speed and pitch.

    Returns
    -------
    np.ndarray, shape (n,), float32 at ``SAMPLE_RATE``, RMS ``SPEECH_LEVEL_DBFS`` or less, peak at most
    ``PEAK_LIMIT``; starts and ends on speech.
    """
    import soundfile as sf
    from scipy.signal import resample_poly

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "line.wav"
        cmd = [
            _espeak_exe(),
            "-v",
            voice.name,
            "-s",
            str(voice.speed),
            "-p",
            str(voice.pitch),
            "-g",
            str(voice.word_gap),
            "-w",
            str(wav),
            text,
        ]
        try:
            subprocess.run(cmd, check=True, capture_output=True)
        except subprocess.CalledProcessError as e:
            raise ExampleBuildError(
                f"espeak-ng failed on {text!r}: {e.stderr.decode(errors='replace')}"
            ) from e
        y, sr = sf.read(str(wav), dtype="float64")
    if sr != ESPEAK_RATE:
        raise ExampleBuildError(f"espeak-ng wrote {sr} Hz, expected {ESPEAK_RATE} Hz")
    y = resample_poly(y, 320, 441)  # 22050 -> 16000 Hz
    loud = np.flatnonzero(np.abs(y) >= TRIM_LEVEL)
    if loud.size == 0:
        raise ExampleBuildError(f"espeak-ng produced silence for {text!r}")
    y = y[loud[0] : loud[-1] + 1]
    rms = float(np.sqrt(np.mean(np.square(y))))
    gain = min(10 ** (SPEECH_LEVEL_DBFS / 20) / rms, PEAK_LIMIT / float(np.abs(y).max()))
    return (y * gain).astype(np.float32)


def hold_music(*, seconds: float) -> np.ndarray:
    """A repeating four-note tone melody (hold music), float32 at 16 kHz.

    Parameters
    ----------
    seconds : length in s.

    Returns
    -------
    np.ndarray, shape (round(seconds * 16000),), float32, RMS ``MUSIC_LEVEL_DBFS``.
    """
    notes = (523.25, 659.25, 783.99, 659.25)  # Hz: C5 E5 G5 E5
    note_s = 0.4
    n_note = int(note_s * SAMPLE_RATE)
    t = np.arange(n_note) / SAMPLE_RATE
    env = np.minimum(1.0, np.minimum(t, note_s - t) / 0.02)  # 20 ms fades: no clicks
    phrase = np.concatenate(
        [env * (np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t)) for f in notes]
    )
    n = int(round(seconds * SAMPLE_RATE))
    y = np.tile(phrase, n // phrase.size + 1)[:n]
    y = y * (10 ** (MUSIC_LEVEL_DBFS / 20) / float(np.sqrt(np.mean(np.square(y)))))
    return y.astype(np.float32)


@dataclass(frozen=True)
class Rendered:
    """An example mixed at 16 kHz, with its truth.

    Attributes:
        samples: float32, shape (2, n): agent (0) and customer (1) before any mono mix.
        turns: One dict per line: role, channel, start, end (s), text, voice.
        holds: Hold spans: start, end (s), channel.
        pauses: Scripted dead-air spans: start, end (s).
    """

    samples: np.ndarray
    turns: tuple[dict, ...]
    holds: tuple[dict, ...]
    pauses: tuple[dict, ...]


def render(example: Example) -> Rendered:
    """Synthesise and place every line of ``example``; times are exact sample positions / 16 kHz."""
    pieces: list[tuple[int, int, np.ndarray]] = []  # (channel, start sample, signal)
    turns: list[dict] = []
    holds: list[dict] = []
    pauses: list[dict] = []
    cursor = int(LEAD_IN * SAMPLE_RATE)  # first free sample after everything placed so far
    prev_line: tuple[int, int] | None = None  # (start, end) of the previous line
    for ev in example.events:
        if isinstance(ev, Pause):
            n = int(round(ev.seconds * SAMPLE_RATE))
            pauses.append({"start": _t(cursor), "end": _t(cursor + n)})
            cursor += n
            prev_line = None
        elif isinstance(ev, Hold):
            n = int(round(ev.seconds * SAMPLE_RATE))
            pieces.append((CHANNEL_OF[AGENT], cursor, hold_music(seconds=ev.seconds)))
            holds.append({"start": _t(cursor), "end": _t(cursor + n), "channel": CHANNEL_OF[AGENT]})
            cursor += n
            prev_line = None
        else:
            voice = example.agent if ev.role == AGENT else example.customer
            if ev.speed is not None:
                voice = replace(voice, speed=ev.speed)
            y = synthesize(text=ev.say or ev.text, voice=voice)
            if ev.overlap is not None:
                if prev_line is None:
                    raise ExampleBuildError(f"{example.name}: an overlapping line must follow a line")
                start = prev_line[1] - int(round(ev.overlap * SAMPLE_RATE))
            else:
                start = cursor + int(round(ev.gap * SAMPLE_RATE))
            end = start + y.size
            pieces.append((CHANNEL_OF[ev.role], start, y))
            turns.append(
                {
                    "role": ev.role,
                    "channel": CHANNEL_OF[ev.role],
                    "start": _t(start),
                    "end": _t(end),
                    "text": ev.text,
                    "voice": voice.name,
                    "speed_wpm": voice.speed,
                }
            )
            cursor = max(cursor, end)
            prev_line = (start, end)
    n_total = cursor + int(TAIL * SAMPLE_RATE)
    out = np.zeros((2, n_total), dtype=np.float64)
    for ch, start, y in pieces:
        out[ch, start : start + y.size] += y
    rng = np.random.default_rng(zlib.crc32(example.name.encode()))
    out += rng.normal(0.0, 10 ** (NOISE_LEVEL_DBFS / 20), size=out.shape)
    return Rendered(
        samples=np.clip(out, -1.0, 1.0).astype(np.float32),
        turns=tuple(turns),
        holds=tuple(holds),
        pauses=tuple(pauses),
    )


def _t(sample: int) -> float:
    return round(sample / SAMPLE_RATE, 4)


def to_output(rendered: Rendered, output: Output) -> np.ndarray:
    """The samples as they go into the file: shape (n, channels), at ``output.sample_rate``."""
    from scipy.signal import resample_poly

    y = rendered.samples.astype(np.float64)
    if output.channels == 1:
        y = y.sum(axis=0, keepdims=True) * 0.8
    if output.sample_rate != SAMPLE_RATE:
        y = resample_poly(y, output.sample_rate, SAMPLE_RATE, axis=1)
    return np.clip(y, -1.0, 1.0).astype(np.float32).T


def write(rendered: Rendered, output: Output, path: Path) -> Path:
    """Encode ``rendered`` to ``path`` in ``output``'s format."""
    import soundfile as sf

    path.parent.mkdir(parents=True, exist_ok=True)
    data = to_output(rendered, output)
    sf.write(str(path), data, output.sample_rate, format=output.format, subtype=output.subtype)
    if output.format == "OGG":
        path.write_bytes(fix_ogg_serial(path.read_bytes()))
    return path


OGG_SERIAL = 0x43534558  # fixed Ogg logical-stream serial number ("CSEX"); any constant will do


def _ogg_crc_table() -> list[int]:
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else (r << 1)
        table.append(r & 0xFFFFFFFF)
    return table


def fix_ogg_serial(data: bytes, *, serial: int = OGG_SERIAL) -> bytes:
    """The Ogg file ``data`` with every page's stream serial set to ``serial`` and its CRC recomputed.

    libsndfile draws the serial number at random, so two encodings of the same samples differ in a few
    bytes; a fixed serial makes rebuilt examples byte-identical (and keeps git from seeing a change).

    Parameters
    ----------
    data : a whole single-stream Ogg file.
    serial : the serial number to write.

    Returns
    -------
    bytes of the same length as ``data``.
    """
    table = _ogg_crc_table()
    out = bytearray(data)
    pos = 0
    while pos < len(out):
        if out[pos : pos + 4] != b"OggS":
            raise ExampleBuildError(f"not an Ogg page at byte {pos}: cannot fix the serial number")
        n_seg = out[pos + 26]
        size = 27 + n_seg + sum(out[pos + 27 : pos + 27 + n_seg])
        out[pos + 14 : pos + 18] = serial.to_bytes(4, "little")
        out[pos + 22 : pos + 26] = b"\0\0\0\0"
        crc = 0
        for b in out[pos : pos + size]:
            crc = ((crc << 8) & 0xFFFFFFFF) ^ table[((crc >> 24) & 0xFF) ^ b]
        out[pos + 22 : pos + 26] = crc.to_bytes(4, "little")
        pos += size
    return bytes(out)


# ---------------------------------------------------------------------------------------------------------
# Truth
# ---------------------------------------------------------------------------------------------------------
def overlaps(turns: Sequence[dict]) -> list[dict]:
    """Stretches where agent and customer speak at once: start, end, duration (s), by (who started later)."""
    out = []
    for i, a in enumerate(turns):
        for b in turns[i + 1 :]:
            if a["role"] == b["role"]:
                continue
            s, e = max(a["start"], b["start"]), min(a["end"], b["end"])
            if e > s:
                first, later = (a, b) if a["start"] <= b["start"] else (b, a)
                out.append(
                    {
                        "start": s,
                        "end": e,
                        "duration": round(e - s, 4),
                        "by": later["role"],
                        "held_by": first["role"],
                    }
                )
    return sorted(out, key=lambda o: o["start"])


def silences(turns: Sequence[dict], duration: float, *, min_s: float = SILENCE_REPORT_MIN) -> list[dict]:
    """Gaps of at least ``min_s`` seconds where nobody speaks (holds included), call edges excluded."""
    spans = sorted((t["start"], t["end"]) for t in turns)
    out = []
    reach = spans[0][1] if spans else 0.0
    for s, e in spans[1:]:
        if s - reach >= min_s:
            out.append({"start": reach, "end": s, "duration": round(s - reach, 4)})
        reach = max(reach, e)
    del duration
    return out


def truth_entry(example: Example, rendered: Rendered) -> dict:
    """The truth.json record of one example."""
    duration = round(rendered.samples.shape[1] / SAMPLE_RATE, 4)
    talk = {
        role: round(sum(t["end"] - t["start"] for t in rendered.turns if t["role"] == role), 3)
        for role in (AGENT, CUSTOMER)
    }
    holds = {(h["start"], h["end"]) for h in rendered.holds}
    sil = silences(rendered.turns, duration)
    for s in sil:
        s["kind"] = "hold" if any(h0 >= s["start"] and h1 <= s["end"] for h0, h1 in holds) else "dead_air"
    return {
        "file": f"{example.folder}/{example.filename}".removeprefix("examples/"),
        "shows": example.shows,
        "format": example.output.describe(),
        "sample_rate": example.output.sample_rate,
        "channels": example.output.channels,
        "channel_roles": {"0": AGENT, "1": CUSTOMER} if example.output.channels == 2 else {"0": "mixed"},
        "duration": duration,
        "voices": {AGENT: example.agent.name, CUSTOMER: example.customer.name},
        "speed_wpm": {AGENT: example.agent.speed, CUSTOMER: example.customer.speed},
        "turns": list(rendered.turns),
        "overlaps": overlaps(rendered.turns),
        "silences": sil,
        "holds": list(rendered.holds),
        "talk_time": talk,
        "agent_talk_ratio": round(talk[AGENT] / (talk[AGENT] + talk[CUSTOMER]), 3),
        "expected": dict(example.expected),
        "headline": list(example.headline),
    }


def build(example: Example, *, out_root: Path) -> tuple[Path, dict]:
    """Render and write one example under ``out_root/<folder>`` (or ``out_root`` for examples)."""
    rendered = render(example)
    folder = out_root if example.folder == "examples" else out_root / example.folder
    path = write(rendered, example.output, folder / example.filename)
    return path, truth_entry(example, rendered)


def critical_items(rubric: Path = REPO / "rubrics" / "id-contact-centre.yaml") -> list[str]:
    """Ids of the default rubric's critical items: their verdicts must hold on every CPU path too."""
    import yaml

    data = yaml.safe_load(rubric.read_text(encoding="utf-8"))
    return [item["id"] for item in data["items"] if item.get("critical")]


def get_example(name: str) -> Example:
    """The example (or fixture) called ``name``."""
    for ex in ALL:
        if ex.name == name:
            return ex
    raise ExampleBuildError(f"unknown example {name!r}; known: {', '.join(e.name for e in ALL)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: rebuild examples (all by default) and truth.json."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", action="append", help="build only this example (repeatable)")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: the examples folder)")
    args = ap.parse_args(argv)
    out_examples = args.out or HERE
    out_root_fixture = args.out or REPO
    chosen = [get_example(n) for n in args.only] if args.only else list(ALL)
    truth_path = out_examples / "truth.json"
    truth: dict = {}
    if truth_path.exists():
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    truth.setdefault("examples", {})
    truth["generator"] = {
        "script": "examples/make_examples.py",
        "espeak_ng": espeak_version(),
        **tool_versions(),
        "mix_rate": SAMPLE_RATE,
        "time_unit": "s",
        "channel_layout": "stereo: channel 0 (left) agent, channel 1 (right) customer",
    }
    truth["critical_items"] = critical_items()
    for ex in chosen:
        if ex.folder == "examples":
            path, entry = build(ex, out_root=out_examples)
            truth["examples"][ex.name] = entry
        else:
            path, entry = build(ex, out_root=out_root_fixture)
            truth.setdefault("fixtures", {})[ex.name] = {**entry, "file": f"{ex.folder}/{ex.filename}"}
        print(f"{path}  {entry['duration']:.1f} s  {path.stat().st_size / 1024:.0f} KB")
    truth["examples"] = {e.name: truth["examples"][e.name] for e in EXAMPLES if e.name in truth["examples"]}
    out_examples.mkdir(parents=True, exist_ok=True)
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    from examples_readme import write_readme  # next to this script, which puts its folder on sys.path

    write_readme(truth, out_examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
