"""Redaction: typed placeholders in the transcript, silence or a tone over the audio, and the record of both.

Everything here is pure: a new Transcript or a new array comes back and the input is untouched. The only
writer, :func:`write_redacted_audio`, creates its file 0600 (through the one atomic writer,
``callscore.files.write_atomic``) because the rest of the recording (the voices) is still personal data.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..files import write_atomic
from ..transcript import Segment, Transcript, Word
from .types import PLACEHOLDERS, AudioRedactionOptions, Detection, PiiError, Redaction, WordRef


def placeholder(kind: str, *, language: str = "id") -> str:
    """The tag that replaces a detection of ``kind`` ("phone" -> "[TELEPON]" in Indonesian)."""
    tags = PLACEHOLDERS.get(language.split("-")[0].lower(), PLACEHOLDERS["id"])
    try:
        return tags[kind]
    except KeyError as e:
        raise PiiError(f"unknown personal-data type {kind!r} (known: {', '.join(tags)})") from e


def redaction_log(*, detections: Sequence[Detection], language: str = "id") -> tuple[Redaction, ...]:
    """What was redacted, for scorecards: type, placeholder, channel and time of each span, not the value."""
    return tuple(
        Redaction(
            type=d.type,
            placeholder=placeholder(d.type, language=language),
            channel=d.channel,
            start=round(d.start, 3),
            end=round(d.end, 3),
        )
        for d in sorted(detections, key=lambda d: (d.start, d.channel))
    )


def redact_transcript(
    *, transcript: Transcript, detections: Sequence[Detection], language: str | None = None
) -> Transcript:
    """A copy of ``transcript`` with each detection's words replaced by its placeholder.

    The placeholder takes the first covered word's place in each segment, with that word's start, the last
    covered word's end and its trailing punctuation; the other covered words go. Every other word keeps its
    text and times. Segment text is rebuilt from the words (or edited in place for a segment without words).

    Parameters
    ----------
    transcript : the call
    detections : from :func:`~callscore.pii.detect.detect_pii` on this transcript
    language : placeholder language; None = the transcript's decoding language
    """
    lang = language or transcript.info.language or "id"
    by_segment: dict[int, list[tuple[int, WordRef, str]]] = {}
    for n, d in enumerate(detections):
        tag = placeholder(d.type, language=lang)
        for ref in d.words:
            by_segment.setdefault(ref.segment, []).append((n, ref, tag))
    if not by_segment:
        return transcript
    segments = []
    for seg in transcript.segments:
        marks = by_segment.get(seg.id)
        if not marks:
            segments.append(seg)
        elif seg.words:
            segments.append(_redact_words(seg, marks))
        else:
            segments.append(_redact_text(seg, marks))
    return replace(transcript, segments=tuple(segments))


def _redact_words(seg: Segment, marks: list[tuple[int, WordRef, str]]) -> Segment:
    owner = {ref.index: (n, tag) for n, ref, tag in marks if ref.index >= 0}
    words: list[Word] = []
    i = 0
    while i < len(seg.words):
        if i not in owner:
            words.append(seg.words[i])
            i += 1
            continue
        n, tag = owner[i]
        j = i
        while j + 1 < len(seg.words) and j + 1 in owner and owner[j + 1][0] == n:
            j += 1
        first, last = seg.words[i], seg.words[j]
        lead = first.text[: len(first.text) - len(first.text.lstrip())]
        trail = _trailing_punct(last.text)
        words.append(replace(first, text=f"{lead}{tag}{trail}", end=last.end))
        i = j + 1
    return replace(seg, words=tuple(words), text="".join(w.text for w in words))


def _redact_text(seg: Segment, marks: list[tuple[int, WordRef, str]]) -> Segment:
    spans: dict[int, tuple[int, int, str]] = {}
    for n, ref, tag in marks:
        lo, hi, _ = spans.get(n, (ref.char_start, ref.char_end, tag))
        spans[n] = (min(lo, ref.char_start), max(hi, ref.char_end), tag)
    text = seg.text
    for lo, hi, tag in sorted(spans.values(), reverse=True):
        text = text[:lo] + tag + _trailing_punct(text[lo:hi]) + text[hi:]
    return replace(seg, text=text)


def _trailing_punct(word: str) -> str:
    stripped = word.rstrip()
    return stripped[len(stripped.rstrip(",.;:!?")) :]


def redact_audio(
    *,
    samples: np.ndarray,
    sample_rate: int,
    detections: Sequence[Detection],
    options: AudioRedactionOptions | None = None,
) -> np.ndarray:
    """A copy of ``samples`` with each detection's time span (plus margin) silenced or toned.

    Parameters
    ----------
    samples : float32 array, shape (n_samples,) for mono or (channels, n_samples), values in [-1, 1]
    sample_rate : Hz
    detections : spans to blank; a detection's channel is blanked, or every channel with ``all_channels``
    options : margin (s), fill ("silence" or "tone"), tone frequency/level, edge ramp (s)

    Returns
    -------
    float32 array of the same shape as ``samples``.
    """
    y = np.array(samples, dtype=np.float32, copy=True)
    mono = y.ndim == 1
    if mono:
        y = y[np.newaxis, :]
    for op in redaction_ops(
        detections=detections, channels=y.shape[0], n=y.shape[1], sample_rate=sample_rate, options=options
    ):
        op.apply(y, 0)
    return y[0] if mono else y


@dataclass(frozen=True)
class _Op:
    """One step of blanking a span: ``y[channel, a:b]`` set to the span's fill, or faded out/in.

    Steps touch disjoint-or-ordered sample ranges and are applied in order, so applying each to one
    block of the call at a time (clipped to it) gives the very samples the whole-call pass gives.
    """

    channel: int
    a: int
    b: int
    kind: str  # "fill", "fade_out" or "fade_in"
    sample_rate: int
    options: AudioRedactionOptions

    def apply(self, y: np.ndarray, offset: int) -> None:
        """Apply to ``y`` (channels, m), which holds the call's samples ``offset .. offset + m``."""
        lo, hi = max(self.a, offset), min(self.b, offset + y.shape[1])
        if hi <= lo:
            return
        part = self._values(lo - self.a, hi - self.a)
        if self.kind == "fill":
            y[self.channel, lo - offset : hi - offset] = part
        else:
            y[self.channel, lo - offset : hi - offset] *= part

    def _values(self, i: int, j: int) -> np.ndarray:
        opts, k = self.options, self.b - self.a
        if self.kind == "fade_out":
            return np.linspace(1.0, 0.0, k, dtype=np.float32)[i:j]
        if self.kind == "fade_in":
            return np.linspace(0.0, 1.0, k, dtype=np.float32)[i:j]
        if opts.fill != "tone":
            return np.zeros(j - i, dtype=np.float32)
        t = np.arange(i, j) / self.sample_rate
        fill = (opts.tone_level * np.sin(2 * np.pi * opts.tone_hz * t)).astype(np.float32)
        r = min(max(1, int(opts.ramp * self.sample_rate)), k // 2)
        if r:  # the tone's own ramps, at both ends of the span
            idx = np.arange(i, j)
            up, down = idx < r, idx >= k - r
            fill[up] *= np.linspace(0.0, 1.0, r, dtype=np.float32)[idx[up]]
            fill[down] *= np.linspace(1.0, 0.0, r, dtype=np.float32)[idx[down] - (k - r)]
        return fill


def redaction_ops(
    *,
    detections: Sequence[Detection],
    channels: int,
    n: int,
    sample_rate: int,
    options: AudioRedactionOptions | None = None,
) -> list[_Op]:
    """The steps that blank every detection's span (plus margin) in a call of ``channels`` x ``n``."""
    opts = options or AudioRedactionOptions()
    if opts.fill not in ("silence", "tone"):
        raise PiiError(f"audio redaction fill {opts.fill!r} is not 'silence' or 'tone'")
    ramp = max(1, int(opts.ramp * sample_rate))
    spans: dict[int, list[tuple[int, int]]] = {c: [] for c in range(channels)}
    for d in detections:
        a = max(0, int((d.start - opts.margin) * sample_rate))
        b = min(n, int(np.ceil((d.end + opts.margin) * sample_rate)))
        if b > a:
            chans = range(channels) if opts.all_channels or d.channel >= channels else [d.channel]
            for c in chans:
                spans[c].append((a, b))
    ops = []
    for c, intervals in spans.items():
        for a, b in _merge(intervals):
            ops.append(_Op(c, a, b, "fill", sample_rate, opts))
            # fade the speech out before the span and back in after it, so the cut does not click; the
            # span itself (words plus margin) is left with no trace of the speech
            k0, k1 = min(ramp, a), min(ramp, n - b)
            if k0:
                ops.append(_Op(c, a - k0, a, "fade_out", sample_rate, opts))
            if k1:
                ops.append(_Op(c, b, b + k1, "fade_in", sample_rate, opts))
    return ops


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def write_redacted_blocks(
    *,
    path: str | os.PathLike[str],
    blocks: Callable[[], Iterator[tuple[int, np.ndarray]]],
    channels: int,
    sample_rate: int,
    ops: Sequence[_Op],
) -> Path:
    """Write a redacted recording block by block (16-bit PCM WAV, atomic, 0600): ``blocks()`` yields
    (first sample, float32 (channels, m)) in order; each block is blanked in place with ``ops`` before
    it is written, so a 2-hour call never needs a float copy of itself (0.9 GB for stereo)."""
    import soundfile as sf

    def fill(tmp: Path) -> None:
        with sf.SoundFile(
            tmp, "w", samplerate=sample_rate, channels=channels, subtype="PCM_16", format="WAV"
        ) as f:
            for offset, block in blocks():
                y = np.asarray(block, dtype=np.float32).reshape(channels, -1)
                for op in ops:
                    op.apply(y, offset)
                f.write(np.clip(y.T, -1.0, 1.0))

    return write_atomic(path, fill, private=True)


def write_redacted_audio(*, path: str | os.PathLike[str], samples: np.ndarray, sample_rate: int) -> Path:
    """Write a redacted recording as 16-bit PCM WAV, atomically and private (0600).

    Parameters
    ----------
    path : destination .wav
    samples : float32, shape (n_samples,) or (channels, n_samples)
    sample_rate : Hz
    """
    import soundfile as sf

    data = np.clip(samples.T if samples.ndim == 2 else samples, -1.0, 1.0)
    return write_atomic(
        path,
        lambda tmp: sf.write(tmp, data, sample_rate, subtype="PCM_16", format="WAV"),
        private=True,
    )
