"""Transcribe a call: per channel, only where there is speech, with a cache so a re-score never re-decodes.

Whisper invents text in silence and hold music, and in a stereo call each channel is silent about half
the time. So each channel is gated by voice activity first (silent channels are skipped entirely, which
also saves their decoding time), and segments Whisper itself marks as no-speech or degenerate
(repetitive, compression ratio too high) are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from callscore import __version__
from callscore.asr import DEFAULT_BACKEND, load_backend
from callscore.asr.base import DecodeSettings, RawSegment
from callscore.asr.models import cache_root
from callscore.asr.runtime import asr_runtime
from callscore.audio.decode import MAX_DURATION, load_audio
from callscore.audio.levels import to_db
from callscore.audio.model import Audio
from callscore.audio.vad import (
    SpeechMap,
    VadOptions,
    concat_speech,
    speech_clips,
    speech_pieces,
    speech_spans,
)
from callscore.errors import AudioError
from callscore.intervals import total_duration
from callscore.transcript.model import (
    SCHEMA_VERSION,
    Segment,
    Transcript,
    TranscriptionInfo,
    Word,
    is_transcript_file,
    load_transcript,
    save_transcript,
)

# Customer-service vocabulary that Whisper base tends to miss; used by --domain-prompt.
DOMAIN_PROMPT = (
    "Selamat pagi, terima kasih telah menghubungi layanan pelanggan. Dengan Bapak atau Ibu siapa? "
    "Mohon maaf atas ketidaknyamanannya. Nomor pesanan, tagihan, pengembalian dana, keluhan, "
    "apakah ada lagi yang bisa saya bantu?"
)
DROP_NO_SPEECH_PROB = 0.6  # with avg_logprob below DROP_LOGPROB: Whisper's own "this was not speech"
DROP_LOGPROB = -1.0
DROP_COMPRESSION_RATIO = 2.4  # gzip ratio above this = repeated text, a typical hallucination
DROP_MAX_REPEATS = 4  # the same word this many times in a row = degenerate output


@dataclass(frozen=True)
class TranscribeOptions:
    """Everything that changes a transcript (and so keys the cache).

    Attributes:
        backend: "faster-whisper" (default), "openai-whisper" or "transformers".
        model: Manifest model name, local model folder, or hub id (transformers); None = bundled default.
        device: "cpu", "cuda" or "auto".
        compute_type: faster-whisper compute type (int8 measured fastest at equal accuracy on CPU).
        cpu_threads: Threads per model (0 = library default).
        decode: Decoding settings (language, beam, prompt...).
        vad: Voice-activity settings for gating each channel.
        max_duration: Refuse recordings longer than this (s).
    """

    backend: str = DEFAULT_BACKEND
    model: str | None = None
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0
    decode: DecodeSettings = field(default_factory=DecodeSettings)
    vad: VadOptions = field(default_factory=VadOptions)
    max_duration: float = MAX_DURATION

    def cache_fields(self) -> dict[str, object]:
        """The settings that change the output (threads and device do not, beyond float noise)."""
        d = asdict(self)
        for k in ("cpu_threads", "max_duration"):
            d.pop(k)
        return d


ProgressFn = Callable[[float, float], None]
"""Called with (seconds of audio done, seconds in total) as channels finish."""


def transcribe_path(
    path: str | os.PathLike[str],
    *,
    options: TranscribeOptions | None = None,
    use_cache: bool = True,
    progress: ProgressFn | None = None,
) -> Transcript:
    """Transcript of an audio file, or of a saved transcript JSON (returned as is).

    Raises AudioError for unusable audio, including a call with no speech on any channel.
    """
    if is_transcript_file(path):
        return load_transcript(path)
    opts = options or TranscribeOptions()
    audio = load_audio(path, max_duration=opts.max_duration)
    return transcribe_audio(audio, options=opts, use_cache=use_cache, progress=progress)


def cache_key(
    audio_sha256: str, model_key: str, options: TranscribeOptions, *, redacted: bool = False
) -> str:
    """Key of a transcript in the cache: audio hash + model + every setting that changes the output.

    ``redacted`` keys the redacted form (``--redact text|audio``) apart from the clear one.
    """
    fields: dict[str, object] = {
        "audio": audio_sha256,
        "model": model_key,
        "options": options.cache_fields(),
        "schema": SCHEMA_VERSION,
    }
    if redacted:
        fields["redact"] = "text"
    payload = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def cache_path(key: str) -> Path:
    """Where the cached transcript of ``key`` lives."""
    return cache_root() / "transcripts" / f"{key}.json"


_decoded_s = 0.0  # call audio this process has decoded (not served from the cache), seconds


def decoded_seconds() -> float:
    """Seconds of call audio this process has decoded so far; cache hits do not count.

    A batch reads it before and after each call to report speed over audio actually transcribed, so a
    re-run served from the transcript cache does not claim to be 60x real time.
    """
    return _decoded_s


def transcribe_audio(
    audio: Audio,
    *,
    options: TranscribeOptions | None = None,
    use_cache: bool = True,
    progress: ProgressFn | None = None,
    redact: Callable[[Transcript], Transcript] | None = None,
) -> Transcript:
    """Transcribe decoded audio, each channel separately, words keeping their channel.

    ``redact`` (``--redact text|audio``: the pipeline passes ``callscore.pii.wire.redact_text``) is applied
    before the cache is written, and the cache then holds only that redacted form under a key of its own:
    clear text is never written. It must be idempotent (it also runs on a cache hit).
    """
    redacted = redact is not None
    opts = options or TranscribeOptions()
    backend = load_backend(
        opts.backend,
        opts.model,
        device=opts.device,
        compute_type=opts.compute_type,
        cpu_threads=opts.cpu_threads,
    )
    key = cache_key(audio.info.sha256, f"{backend.model_id}:{backend.model_sha256}", opts, redacted=redacted)
    cached = cache_path(key)
    if use_cache and cached.is_file():
        try:
            hit = replace(load_transcript(cached), audio=audio.info)
            return redact(hit) if redact is not None else hit
        except Exception:  # a damaged cache entry is rebuilt, never trusted
            cached.unlink(missing_ok=True)

    n_channels = audio.samples.shape[0]
    segments: list[Segment] = []
    speech_total = 0.0
    for ch in range(n_channels):
        y = audio.channel(ch)
        spans = speech_spans(y=y, sr=audio.sample_rate, options=opts.vad)
        speech_total += total_duration(spans)
        # A long channel goes piece by piece (vad.PIECE_S of speech each, cut in silences): memory
        # stays that of one piece whatever the call's length; a shorter channel is one piece, as before.
        for piece in speech_pieces(y=y, spans=spans, sr=audio.sample_rate):
            chunk, speech_map = concat_speech(y=y, spans=piece, sr=audio.sample_rate)
            extra: dict[str, object] = {}
            if opts.decode.batch_size > 1 and getattr(backend, "supports_clips", False):
                extra["clips"] = speech_clips(audio=chunk, speech_map=speech_map, sr=audio.sample_rate)
            if progress and getattr(backend, "supports_progress", False):
                # Report channel progress in call seconds: decoded speech time maps back to call time.
                def step(done: float, ch: int = ch, m: SpeechMap = speech_map) -> None:
                    progress(
                        audio.duration * (ch + m.to_original(done) / audio.duration) / n_channels,
                        audio.duration,
                    )

                raw = backend.transcribe(chunk, opts.decode, progress=step, **extra)  # type: ignore[call-arg]
            else:
                raw = backend.transcribe(chunk, opts.decode, **extra)  # type: ignore[call-arg]
            del chunk
            segments.extend(_to_segments(raw, speech_map, channel=ch, first_id=len(segments)))
        if progress:
            progress(audio.duration * (ch + 1) / n_channels, audio.duration)

    global _decoded_s
    _decoded_s += audio.duration
    if not segments:
        raise AudioError(f"{audio.info.path}: no speech found (silence, noise or music only)")
    segments.sort(key=lambda s: (s.start, s.channel))
    transcript = Transcript(
        audio=audio.info,
        info=TranscriptionInfo(
            backend=backend.name,
            model=backend.model_id,
            model_sha256=backend.model_sha256,
            language=opts.decode.language,
            options=json.loads(json.dumps(opts.cache_fields())),  # JSON-normal form: lists, not tuples
            speech_duration=round(speech_total, 3),
            callscore_version=__version__,
            runtime=asr_runtime(backend=backend.name, device=opts.device, cpu_threads=opts.cpu_threads),
        ),
        segments=tuple(replace(s, id=i) for i, s in enumerate(segments)),
    )
    if redact is not None:
        transcript = redact(transcript)
    if use_cache:
        save_transcript(transcript, cached)
    return transcript


def is_degenerate(seg: RawSegment) -> bool:
    """True for segments Whisper marks as non-speech, or that repeat themselves (hallucination)."""
    if seg.no_speech_prob > DROP_NO_SPEECH_PROB and seg.avg_logprob < DROP_LOGPROB:
        return True
    if seg.compression_ratio > DROP_COMPRESSION_RATIO:
        return True
    words = [w.text.strip().lower() for w in seg.words if w.text.strip()]
    run = 1
    for a, b in zip(words, words[1:], strict=False):
        run = run + 1 if a == b else 1
        if run >= DROP_MAX_REPEATS:
            return True
    return not seg.text.strip()


def _to_segments(
    raw: list[RawSegment], speech_map: SpeechMap, *, channel: int, first_id: int
) -> list[Segment]:
    out: list[Segment] = []
    for seg in raw:
        if is_degenerate(seg):
            continue
        words = tuple(
            Word(
                start=round(speech_map.to_original(w.start), 3),
                end=round(speech_map.to_original(w.end, is_end=True), 3),
                text=w.text,
                probability=round(float(w.probability), 4),
                channel=channel,
            )
            for w in seg.words
        )
        start = words[0].start if words else round(speech_map.to_original(seg.start), 3)
        end = words[-1].end if words else round(speech_map.to_original(seg.end, is_end=True), 3)
        out.append(
            Segment(
                id=first_id + len(out),
                channel=channel,
                start=start,
                end=max(end, start),
                text=seg.text.strip(),
                words=words,
                avg_logprob=round(float(seg.avg_logprob), 4),
                no_speech_prob=round(float(seg.no_speech_prob), 4),
                compression_ratio=round(float(seg.compression_ratio), 4),
            )
        )
    return out


def rms_dbfs(y: np.ndarray) -> float:
    """RMS level of a signal in dBFS (for messages about silent files)."""
    return float(to_db(float(np.sqrt(np.mean(np.square(y)))) if y.size else 0.0, floor_db=-200.0))
