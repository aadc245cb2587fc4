"""Synthetic calls with known word times, for the prosody tests and benchmark.

Words are spoken one at a time by espeak-ng's Indonesian voice, trimmed, and laid out with known gaps, so
every word's start and end is exact. Changes to how the agent sounds are made with sox (tempo, gain, pitch,
bend, tremolo) on the agent's channel; the word times follow (tempo divides them).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from callscore.audio.model import Audio, AudioInfo
from callscore.transcript.model import Segment, Transcript, TranscriptionInfo, Word

SR = 16000  # Hz
PEAK = 0.3  # every word is normalised to this peak, leaving headroom for +gain transforms

AGENT_LINES = (
    "selamat pagi terima kasih telah menghubungi layanan pelanggan kami",
    "dengan bapak siapa saya berbicara hari ini",
    "baik bapak saya akan memeriksa pesanan anda sekarang juga",
    "mohon maaf atas ketidaknyamanan yang bapak alami",
    "pesanan anda sudah kami kirim kemarin sore dari gudang",
    "nomor resi pengiriman akan kami kirim lewat pesan singkat",
    "apakah ada lagi yang bisa saya bantu untuk bapak",
    "terima kasih atas kesabaran bapak selama menunggu tadi",
)
CUSTOMER_LINE = "iya baik terima kasih"
HAVE_TOOLS = bool(shutil.which("espeak-ng") and shutil.which("sox"))


@dataclass(frozen=True)
class Call:
    """A synthetic stereo call: agent on channel 0, customer on channel 1.

    Attributes:
        audio: Decoded audio (2, n) at 16 kHz.
        transcript: Words with exact times, no speaker assignment (channel 0 = agent).
    """

    audio: Audio
    transcript: Transcript


class Voice:
    """espeak-ng words, synthesised once and cached in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cache: dict[str, np.ndarray] = {}

    def word(self, text: str, *, sox: Sequence[str] = ()) -> np.ndarray:
        """Trimmed samples of ``text`` at 16 kHz, peak :data:`PEAK`, optionally through sox effects."""
        key = text + "|" + " ".join(sox)
        if key not in self.cache:
            raw = self.folder / f"w{len(self.cache)}.wav"
            subprocess.run(["espeak-ng", "-v", "id", "-w", str(raw), text], check=True)
            y = sox_file(raw, ["rate", str(SR), *sox], self.folder)
            self.cache[key] = trim(y)
        return self.cache[key]


def sox_file(path: Path, effects: Sequence[str], folder: Path) -> np.ndarray:
    """Run ``sox path out.wav effects...`` and return the mono float samples."""
    out = folder / f"{path.stem}.sox.wav"
    subprocess.run(
        ["sox", "-V1", str(path), "-b", "32", "-e", "floating-point", str(out), *effects], check=True
    )
    y, _ = sf.read(out, dtype="float32")
    return y if y.ndim == 1 else y[:, 0]


def sox_array(y: np.ndarray, effects: Sequence[str], folder: Path, *, name: str = "chan") -> np.ndarray:
    """Run sox effects on an array at 16 kHz."""
    src = folder / f"{name}.wav"
    sf.write(src, y, SR, subtype="FLOAT")
    return sox_file(src, effects, folder)


def trim(y: np.ndarray) -> np.ndarray:
    """Cut leading/trailing silence (below 2 % of the peak) and normalise to :data:`PEAK`."""
    loud = np.flatnonzero(np.abs(y) > 0.02 * np.max(np.abs(y)))
    y = y[loud[0] : loud[-1] + 1]
    return (PEAK * y / np.max(np.abs(y))).astype(np.float32)


@dataclass(frozen=True, eq=False)
class Placed:
    """A word laid out in a channel. Attributes: text, start (s), samples."""

    text: str
    start: float
    samples: np.ndarray

    @property
    def end(self) -> float:
        """End time (s)."""
        return self.start + self.samples.size / SR


def agent_plan(
    voice: Voice,
    *,
    lines: Sequence[str] = AGENT_LINES,
    repeats: int = 2,
    gap: float = 0.08,
    pause_every: int = 0,
    pause: float = 1.0,
    fillers: Sequence[str] = (),
    fade_db: float = 0.0,
    rising_final: bool = False,
    pitch_swing: int = 0,
    turn_gap: float = 3.0,
    start: float = 0.5,
) -> list[list[Placed]]:
    """The agent's turns: one per line, words ``gap`` s apart.

    Parameters
    ----------
    pause_every : every n-th word is followed by a ``pause`` s silent pause (0 = never)
    fillers : filled pauses ("eh", "em") inserted, in turn, after each pause
    fade_db : each turn fades linearly by this many dB from first to last word
    rising_final : the last word of each turn bends up 8 semitones over its last 70 %
    pitch_swing : words alternately shifted up and down by this many cents (sox ``pitch``)
    turn_gap : silence between turns (the customer speaks in it)
    """
    turns: list[list[Placed]] = []
    t = start
    k = 0
    for line in list(lines) * repeats:
        words = line.split()
        turn: list[Placed] = []
        for i, text in enumerate(words):
            final = i == len(words) - 1
            y = voice.word(text)
            if pitch_swing:
                y = voice.word(text, sox=["pitch", str(pitch_swing if i % 2 else -pitch_swing)])
            if final and rising_final:
                d = y.size / SR
                y = voice.word(text, sox=["bend", f"{0.3 * d:.3f},800,{0.7 * d:.3f}"])
            gain = 10 ** (-fade_db * i / max(1, len(words) - 1) / 20)
            turn.append(Placed(text, t, y * gain))
            t += y.size / SR
            if not final and pause_every and (i + 1) % pause_every == 0:
                t += pause
                if fillers:
                    f = fillers[k % len(fillers)]
                    k += 1
                    fy = voice.word(f) * gain
                    turn.append(Placed(f, t, fy))
                    t += fy.size / SR + pause / 2
            elif not final:
                t += gap
        turns.append(turn)
        t += turn_gap
    return turns


def render(placed: Sequence[Placed], n: int) -> np.ndarray:
    """Mix placed words into a channel of ``n`` samples."""
    y = np.zeros(n, np.float32)
    for p in placed:
        i = int(round(p.start * SR))
        seg = p.samples[: max(0, n - i)]
        y[i : i + seg.size] += seg
    return y


def make_call(
    voice: Voice,
    turns: list[list[Placed]],
    *,
    folder: Path,
    sox: Sequence[str] = (),
    tempo: float = 1.0,
    customer: bool = True,
    split: float | None = None,
    split_sox: Sequence[str] = (),
) -> Call:
    """Stereo call from agent turns, the agent channel optionally through sox effects.

    Parameters
    ----------
    sox : effects on the agent channel that keep time (gain, pitch, bend, tremolo)
    tempo : sox ``tempo`` factor applied with ``sox`` (word times are divided by it)
    customer : put a short customer reply into each gap between agent turns
    split : from this time (s) on, apply ``split_sox`` (and ``tempo``) only to the agent's later part
    split_sox : effects for the part after ``split``
    """
    words = [p for turn in turns for p in turn]
    end = max(p.end for p in words) + 1.0
    agent = render(words, int(end * SR))
    effects = list(sox) + (["tempo", "-s", f"{tempo:g}"] if tempo != 1.0 else [])
    if split is None:
        scale = 1.0 / tempo
        if effects:
            agent = sox_array(agent, effects, folder, name="agent")
        times = [(p.text, p.start * scale, p.end * scale) for p in words]
    else:
        cut = int(split * SR)
        later = sox_array(
            agent[cut:], list(split_sox) + (["tempo", "-s", f"{tempo:g}"] if tempo != 1.0 else []), folder
        )
        agent = np.concatenate([agent[:cut], later])
        times = [
            (p.text, *(t if t < split else split + (t - split) / tempo for t in (p.start, p.end)))
            for p in words
        ]
    n = agent.size
    cust_words: list[tuple[str, float, float]] = []
    cust = np.zeros(n, np.float32)
    if customer:
        last = np.cumsum([len(turn) for turn in turns]) - 1
        ends = [times[i][2] for i in last]
        starts = [times[i + 1][1] for i in last[:-1]]
        for a, b in zip(ends, starts, strict=False):
            t = a + 0.4
            for text in CUSTOMER_LINE.split():
                y = voice.word(text) * 0.8
                i = int(t * SR)
                if t + y.size / SR > b - 0.3:
                    break
                cust[i : i + y.size] += y[: max(0, n - i)]
                cust_words.append((text, t, t + y.size / SR))
                t += y.size / SR + 0.08
    samples = np.stack([agent[:n], cust])
    return Call(audio=audio_of(samples), transcript=transcript_of(times, cust_words, duration=n / SR))


def audio_of(samples: np.ndarray, *, sample_rate: int = SR) -> Audio:
    """An Audio object for synthetic samples of shape (channels, n)."""
    info = AudioInfo(
        path="synthetic.wav",
        sha256="0" * 64,
        duration=samples.shape[1] / SR,
        sample_rate=sample_rate,
        channels=samples.shape[0],
    )
    return Audio(samples=np.clip(samples, -1, 1).astype(np.float32), sample_rate=SR, info=info)


def transcript_of(
    agent: Sequence[tuple[str, float, float]],
    customer: Sequence[tuple[str, float, float]] = (),
    *,
    duration: float,
) -> Transcript:
    """A transcript with one segment per word: agent words on channel 0, customer on channel 1."""
    segs = []
    for ch, words in ((0, agent), (1, customer)):
        for text, s, e in words:
            w = Word(start=round(s, 3), end=round(e, 3), text=" " + text, channel=ch)
            segs.append(Segment(id=0, channel=ch, start=w.start, end=w.end, text=text, words=(w,)))
    segs.sort(key=lambda s: (s.start, s.channel))
    return Transcript(
        audio=AudioInfo(path="synthetic.wav", sha256="0" * 64, duration=duration, sample_rate=SR, channels=2),
        info=TranscriptionInfo(backend="import", model="synthetic", language="id"),
        segments=tuple(segs),
    )
