"""The transcript data model: call -> segments -> words, with channel, speaker and role.

Everything downstream (speakers, timeline, prosody, rubric, scorecard) reads these frozen dataclasses.
They serialise to JSON and back losslessly (floats keep their repr), under a schema name and version so
that an old or foreign file is refused with a clear message rather than misread.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from callscore.audio.model import AudioInfo
from callscore.errors import TranscriptError
from callscore.files import write_text_atomic

SCHEMA_NAME = "callscore.transcript"
SCHEMA_VERSION = 1

AGENT = "agent"
CUSTOMER = "customer"
ROLES = (AGENT, CUSTOMER)


@dataclass(frozen=True)
class Word:
    """One recognised word.

    Attributes:
        start: Start time in seconds from the start of the call.
        end: End time in seconds.
        text: The word as Whisper wrote it (may carry leading space/punctuation).
        probability: Whisper's word probability, 0..1.
        channel: Audio channel it was heard on (0 = left or mono, 1 = right).
        speaker: Speaker label ("S0", "S1", ...) once speakers are assigned, else None.
    """

    start: float
    end: float
    text: str
    probability: float = 1.0
    channel: int = 0
    speaker: str | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of speech Whisper decoded as one unit, on one channel.

    Attributes:
        id: Index, unique within the transcript.
        channel: Audio channel (0 = left or mono, 1 = right).
        start: Start time in seconds from the start of the call.
        end: End time in seconds.
        text: Segment text.
        words: The words, in time order.
        avg_logprob: Whisper's average token log-probability (decoding confidence).
        no_speech_prob: Whisper's probability that the window held no speech.
        compression_ratio: gzip ratio of the text; high values mean repetitive, likely hallucinated text.
        speaker: Speaker label once assigned (mono calls may change speaker inside a segment: use words).
    """

    id: int
    channel: int
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 0.0
    speaker: str | None = None


@dataclass(frozen=True)
class Speaker:
    """A speaker of the call and the role we believe they have.

    Attributes:
        label: "S0", "S1", ... as used on words and segments.
        channel: The channel the speaker is on in a stereo call, or None when diarized from mono.
        role: "agent", "customer" or None when unknown.
        role_confidence: 0..1, how sure the role detection is (1.0 when forced by the user).
        role_reason: Short human-readable reason ("greets with company name", "forced by --agent-channel").
    """

    label: str
    channel: int | None = None
    role: str | None = None
    role_confidence: float = 0.0
    role_reason: str = ""


@dataclass(frozen=True)
class TranscriptionInfo:
    """How the transcript was made, so a scorecard can say what it ran with.

    Attributes:
        backend: "faster-whisper", "openai-whisper", "transformers", or "import" for foreign files.
        model: Model name from the manifest, or a path/hub id.
        model_sha256: Checksum of the weights file when known.
        language: Decoding language code ("id", "en").
        options: The transcription options as a plain dict (see ``TranscribeOptions``).
        speech_duration: Seconds of audio that voice activity passed to the decoder, summed over channels.
        callscore_version: Version of callscore that made it.
        runtime: Library versions and CPU path the ASR ran with (``callscore.asr.runtime.asr_runtime``),
            so a contested transcript can be reproduced; {} in transcripts made before it was recorded.
    """

    backend: str
    model: str
    model_sha256: str = ""
    language: str = "id"
    options: dict[str, Any] = field(default_factory=dict)
    speech_duration: float = 0.0
    callscore_version: str = ""
    runtime: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Transcript:
    """A whole call: the audio it came from, how it was made, the segments and the speakers.

    Attributes:
        audio: Source recording facts.
        info: Transcription settings.
        segments: Segments of all channels, sorted by start time.
        speakers: Speakers with roles, empty until speaker assignment ran.
        schema_version: Version of this JSON schema.
    """

    audio: AudioInfo
    info: TranscriptionInfo
    segments: tuple[Segment, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    schema_version: int = SCHEMA_VERSION

    @property
    def channels(self) -> tuple[int, ...]:
        """Channels that carry segments, sorted."""
        return tuple(sorted({s.channel for s in self.segments}))

    def words(self, *, channel: int | None = None, speaker: str | None = None) -> tuple[Word, ...]:
        """All words in start-time order, optionally of one channel or speaker."""
        ws = [
            w
            for s in self.segments
            for w in s.words
            if (channel is None or w.channel == channel) and (speaker is None or w.speaker == speaker)
        ]
        return tuple(sorted(ws, key=lambda w: (w.start, w.channel)))

    def text(self, *, channel: int | None = None) -> str:
        """Plain text of the call (or of one channel), segments in time order."""
        return " ".join(
            s.text.strip() for s in self.segments if channel is None or s.channel == channel
        ).strip()

    def speaker(self, label: str | None) -> Speaker | None:
        """The Speaker with this label, or None."""
        return next((s for s in self.speakers if s.label == label), None)

    def role_of(self, label: str | None) -> str | None:
        """Role ("agent"/"customer") of a speaker label, None when unknown."""
        sp = self.speaker(label)
        return sp.role if sp else None

    def label_of_role(self, role: str) -> str | None:
        """Speaker label holding ``role``, None when no speaker has it."""
        return next((s.label for s in self.speakers if s.role == role), None)

    def with_segments(self, segments: Iterable[Segment]) -> Transcript:
        """A copy with other segments (sorted), for stages that relabel words."""
        return replace(self, segments=tuple(sorted(segments, key=lambda s: (s.start, s.channel))))


def transcript_to_dict(transcript: Transcript) -> dict[str, Any]:
    """Plain-JSON form of a transcript, schema name and version first."""
    body = asdict(transcript)
    body.pop("schema_version")
    return {"schema": SCHEMA_NAME, "schema_version": transcript.schema_version, **body}


def transcript_from_dict(data: dict[str, Any], *, source: str = "<dict>") -> Transcript:
    """Rebuild a Transcript from :func:`transcript_to_dict` output; refuses other schemas."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_NAME:
        raise TranscriptError(f"{source}: not a callscore transcript (missing schema {SCHEMA_NAME!r})")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise TranscriptError(
            f"{source}: transcript schema version {version} is not supported "
            f"(this callscore reads version {SCHEMA_VERSION}); re-transcribe the audio"
        )
    try:
        segments = tuple(
            Segment(**{**s, "words": tuple(Word(**w) for w in s.get("words", ()))}) for s in data["segments"]
        )
        return Transcript(
            audio=AudioInfo(**data["audio"]),
            info=TranscriptionInfo(**data["info"]),
            segments=segments,
            speakers=tuple(Speaker(**s) for s in data.get("speakers", ())),
        )
    except (KeyError, TypeError) as e:
        raise TranscriptError(f"{source}: malformed transcript JSON ({e})") from e


def transcript_to_json(transcript: Transcript, *, indent: int | None = 2) -> str:
    """JSON text of a transcript (UTF-8 safe, non-ASCII kept readable)."""
    return json.dumps(transcript_to_dict(transcript), ensure_ascii=False, indent=indent)


def save_transcript(transcript: Transcript, path: str | os.PathLike[str]) -> Path:
    """Write transcript JSON atomically (temp file + rename): a crash never leaves half a file."""
    return write_text_atomic(Path(path), transcript_to_json(transcript))


def load_transcript(path: str | os.PathLike[str]) -> Transcript:
    """Read a transcript JSON written by callscore."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise TranscriptError(f"{p}: file not found") from e
    except OSError as e:  # a symlink loop, a folder, no permission
        raise TranscriptError(f"{p}: cannot read ({e.strerror or e})") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise TranscriptError(f"{p}: not valid JSON ({e})") from e
    except RecursionError as e:  # "[[[[...": nested deeper than the parser goes
        raise TranscriptError(f"{p}: JSON nested too deeply") from e
    try:
        return transcript_from_dict(data, source=str(p))
    except TranscriptError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        # A crafted or hand-edited file of the right schema with a field of the wrong shape.
        detail = " ".join(str(e).split())
        raise TranscriptError(f"{p}: malformed transcript ({type(e).__name__}: {detail})") from e


def is_transcript_file(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` looks like a transcript JSON (by extension), so CLIs accept it instead of audio."""
    return str(path).lower().endswith(".json")
