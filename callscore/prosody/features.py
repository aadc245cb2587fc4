"""Prosodic features of one speaker: pitch, loudness, tempo, pauses, filled pauses, final pitch movement.

Only the speaker's own speech is analysed: their words' time spans (padded a little) on their channel; in
a mono call, stretches where another speaker's words overlap are cut out. Pitch and loudness come from
:mod:`callscore.prosody.pitch` (YIN at 8 kHz, 10 ms frames);
tempo, pauses and filled pauses from word timings.

Voice quality: the harmonics-to-noise ratio (HNR) is reported from the autocorrelation at the pitch lag.
Jitter and shimmer are **not** measured on the default path: they need cycle-by-cycle period marks, and at
8 kHz (telephone audio) a 100 Hz cycle spans 80 samples, so one sample of timing error is already 1.25 %,
more than the jitter of a healthy voice (~0.5-1 %). The optional ``praat`` tracker measures them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from callscore.audio.model import as_float32, file_backed, release
from callscore.prosody.pitch import HOP, TRACK_RATE, PitchTrack, frame_level_db, to_track_rate, track_pitch
from callscore.transcript.model import Word
from callscore.transcript.textnorm import word_key

# Joined speech of one speaker at the tracker's rate kept in memory up to this size (~35 min of speech);
# longer goes to a file-backed map (audio.model.file_backed), so pitch memory does not grow with the call.
JOINED_IN_MEMORY_BYTES = 64 << 20

PAD = 0.10  # s added each side of a word span, so word edges (Whisper's ~0.2 s jitter) are not clipped
JUNCTION_GUARD = 0.03  # s; frames this close to a join of two concatenated spans are dropped
PAUSE_MIN = 0.25  # s; a gap between a speaker's words at least this long is a pause
PAUSE_MAX = 3.0  # s; longer gaps end a speaking run (hold, dead air, the other side talking)
MIN_SPEECH = 5.0  # s of speaking time below which nothing is scored
MIN_WORDS = 10  # words below which nothing is scored
MIN_VOICED = 1.0  # s of voiced frames below which pitch is not measured
CLIP_LEVEL = 0.98  # |sample| at or above this is at full scale (resampling ripples clipped plateaus)
MAX_CLIPPED = 0.01  # fraction of full-scale samples above which the audio is called clipped
MIN_SNR_DB = 10.0  # dB; voiced-frame level over the channel noise floor below which it is too noisy
SILENT_DB = -60.0  # dBFS; speech quieter than this is silence (a muted or dead channel)
# The speaker's loudest 10 % of frames decide "silent": their median was below -60 dBFS on a -22 dBFS
# real voice whose word spans (Whisper stretches words over pauses) were mostly silence (issue 11).
SILENT_PERCENTILE = 90
NOISE_PERCENTILE = 10  # the channel's quietest 10 % of frames give its noise floor
FINAL_SPAN = 0.5  # s, the end of a run's last word examined for final pitch movement
FINAL_MIN_FRAMES = 6  # voiced frames needed to judge a final movement
FINAL_MOVE_ST = 1.0  # semitones; a final movement beyond +/- this is rising / falling
REF_HZ = 100.0  # Hz; semitone values are relative to this
FILLED_PAUSE = re.compile(r"^(e+h*m*|h+m+|m{2,}|a+nu|u+h*m*|e+r+m*)$")
VOWELS_ID = re.compile(r"[aeiou]")
DIPHTHONG_END_ID = re.compile(r"(ai|au|oi|ei)$")
VOWEL_GROUPS_EN = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class ProsodyOptions:
    """Settings of the prosody stage.

    Attributes:
        pad: Seconds added each side of a word span.
        pause_min: Shortest gap (s) between a speaker's words that counts as a pause.
        pause_max: Longest gap (s) still inside one speaking run.
        min_speech: Seconds of speaking time needed to score.
        min_words: Words needed to score.
        window: Length (s) of the windows of the per-minute curve.
        fmin: Lowest F0 searched (Hz).
        fmax: Highest F0 searched (Hz).
        max_clipped: Fraction of full-scale samples above which the speaker is not measured.
        min_snr_db: Estimated SNR (dB) below which the speaker is not measured.
        sex: "auto" (pick the pitch norm from the speaker's median F0), "male" or "female".
        tracker: "yin" (default, numpy/scipy) or "praat" (needs the GPL-3 extra ``praat-parselmouth``).
    """

    pad: float = PAD
    pause_min: float = PAUSE_MIN
    pause_max: float = PAUSE_MAX
    min_speech: float = MIN_SPEECH
    min_words: int = MIN_WORDS
    window: float = 60.0
    fmin: float = 60.0
    fmax: float = 400.0
    max_clipped: float = MAX_CLIPPED
    min_snr_db: float = MIN_SNR_DB
    sex: str = "auto"
    tracker: str = "yin"


@dataclass(frozen=True)
class ProsodyFeatures:
    """What a speaker's voice did over a stretch of the call (the whole call or one window).

    None means not measurable (too little voiced speech, no audio, no turn ends...).

    Attributes:
        start: Start of the stretch (s from call start).
        end: End of the stretch (s).
        n_words: Words spoken (filled pauses included).
        n_syllables: Syllables, counted from spelling (filled pauses excluded).
        n_runs: Speaking runs (stretches without a gap over ``pause_max`` or a turn by someone else).
        speaking_time: Seconds from first to last word of each run, summed (pauses included).
        voiced_time: Seconds of voiced frames the pitch tracker found.
        f0_median_hz: Median F0 (Hz).
        f0_spread_st: Robust standard deviation of F0 (IQR / 1.349) in semitones.
        f0_range_st: 5th to 95th percentile of F0 in semitones.
        loudness_db: Median level of voiced frames in dBFS (0-4 kHz band).
        loudness_spread_db: Robust standard deviation of the voiced-frame level (dB).
        loudness_decline_db: How much quieter a run ends than it starts (dB, median over runs of >= 4
            words; positive = fading out).
        speaking_rate: Syllables per second of speaking time (pauses included).
        articulation_rate: Syllables per second of speaking time minus pauses.
        pause_rate: Pauses per minute of speaking time.
        pause_mean: Mean pause length (s).
        pause_ratio: Share of speaking time spent in pauses (0..1).
        filled_pauses: Count of "eh", "em", "ehm", "anu", "hmm", "uh", "um" ... words.
        filled_pause_rate: Filled pauses per 100 words.
        final_rise_fraction: Share of run ends (statements, not "?") whose pitch rises > 1 semitone.
        final_movement_st: Median pitch movement at run ends (semitones; > 0 rising).
        hnr_db: Median harmonics-to-noise ratio of voiced frames (dB).
        jitter_pct: Cycle-to-cycle period variation (%), only with the praat tracker.
        shimmer_pct: Cycle-to-cycle amplitude variation (%), only with the praat tracker.
        snr_db: Estimated SNR: voiced-frame level over the channel's noise floor (dB).
        clipped_fraction: Share of the speaker's samples at full scale.
        problems: Reasons the stretch cannot be scored (empty when it can).
        notes: Caveats that do not stop scoring (e.g. why jitter/shimmer are missing).
    """

    start: float
    end: float
    n_words: int = 0
    n_syllables: int = 0
    n_runs: int = 0
    speaking_time: float = 0.0
    voiced_time: float = 0.0
    f0_median_hz: float | None = None
    f0_spread_st: float | None = None
    f0_range_st: float | None = None
    loudness_db: float | None = None
    loudness_spread_db: float | None = None
    loudness_decline_db: float | None = None
    speaking_rate: float | None = None
    articulation_rate: float | None = None
    pause_rate: float | None = None
    pause_mean: float | None = None
    pause_ratio: float | None = None
    filled_pauses: int = 0
    filled_pause_rate: float | None = None
    final_rise_fraction: float | None = None
    final_movement_st: float | None = None
    hnr_db: float | None = None
    jitter_pct: float | None = None
    shimmer_pct: float | None = None
    snr_db: float | None = None
    clipped_fraction: float | None = None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def measurable(self) -> bool:
        """True when nothing stops scoring."""
        return not self.problems


@dataclass(frozen=True, eq=False)
class SpeakerFrames:
    """Frame-wise pitch and level of one speaker, in call time.

    Attributes:
        times: Frame centres (s from call start), shape (n,).
        f0: Hz, NaN when unvoiced, shape (n,).
        level_db: dBFS, shape (n,).
        periodicity: Normalised autocorrelation at the pitch lag (NaN unvoiced), shape (n,).
        noise_floor_db: Channel noise floor (dBFS), or None when unknown.
        clipped_fraction: Share of the speaker's samples at full scale.
        jitter_pct: From the praat tracker, else None.
        shimmer_pct: From the praat tracker, else None.
    """

    times: np.ndarray
    f0: np.ndarray
    level_db: np.ndarray
    periodicity: np.ndarray
    noise_floor_db: float | None
    clipped_fraction: float
    jitter_pct: float | None = None
    shimmer_pct: float | None = None

    @property
    def voiced(self) -> np.ndarray:
        """Boolean voicing per frame."""
        return ~np.isnan(self.f0)

    def voiced_f0(self, start: float, end: float) -> np.ndarray:
        """F0 (Hz) of the voiced frames between ``start`` and ``end`` s (frames are time-sorted)."""
        a, b = np.searchsorted(self.times, [start, end])
        f0 = self.f0[a:b]
        return f0[~np.isnan(f0)]


def is_filled_pause(text: str) -> bool:
    """True for hesitation sounds: "eh", "em", "ehm", "eee", "hmm", "anu", "uh", "um", "erm"."""
    return bool(FILLED_PAUSE.match(word_key(text)))


def count_syllables(text: str, *, language: str = "id") -> int:
    """Syllables of one word from its spelling.

    Indonesian: one per vowel letter, a word-final diphthong (ai, au, oi, ei: "pantai", "pulau") counting
    once; other vowel pairs are two syllables ("di-a", "da-e-rah"). English: vowel groups, minus a silent
    final "e". A word with letters but no vowel (digits, "hmm") counts one.
    """
    w = word_key(text)
    if not w:
        return 0
    if language.startswith("en"):
        n = len(VOWEL_GROUPS_EN.findall(w))
        if w.endswith("e") and not w.endswith(("le", "ee")) and n > 1:
            n -= 1
    else:
        n = len(VOWELS_ID.findall(w)) - (1 if DIPHTHONG_END_ID.search(w) else 0)
    return max(n, 1)


def speech_runs(
    words: Sequence[Word], *, others: Sequence[tuple[float, float]], pause_max: float
) -> list[tuple[Word, ...]]:
    """Split a speaker's time-ordered words into runs: a gap over ``pause_max`` s, or a gap in which
    someone else speaks (``others``: their (start, end) spans), ends a run."""
    runs: list[list[Word]] = []
    starts = np.array(sorted(s for s, _ in others)) if others else np.zeros(0)
    for w in words:
        if runs:
            prev = runs[-1][-1]
            gap = w.start - prev.end
            lo, hi = np.searchsorted(starts, [prev.end, w.start])
            if gap <= pause_max and hi == lo:
                runs[-1].append(w)
                continue
        runs.append([w])
    return [tuple(r) for r in runs]


def analyse_frames(
    *,
    y: np.ndarray,
    sr: int,
    spans: Sequence[tuple[float, float]],
    options: ProsodyOptions,
) -> SpeakerFrames:
    """Pitch and level of the speaker's spans of one channel.

    Parameters
    ----------
    y : np.ndarray, shape (n,), the speaker's channel at ``sr`` Hz (float32, or int16 PCM: each span is
        converted on its own, never the whole channel)
    sr : sample rate in Hz
    spans : (start, end) seconds of the speaker's speech on that channel, merged and sorted
    options : tracker choice and F0 search range

    Returns
    -------
    SpeakerFrames in call time; frames straddling the joins between spans are dropped
    """
    idx = [(max(0, int(s * sr)), min(y.size, int(e * sr))) for s, e in spans]
    idx = [(a, b) for a, b in idx if b > a]
    n_speech = sum(b - a for a, b in idx)
    # Counted span by span: the speech is never joined at 16 kHz (a copy of it, 0.23 GB per hour).
    n_clipped = sum(_clipped(as_float32(y[a:b])) for a, b in idx)
    clipped = n_clipped / n_speech if n_speech else 0.0
    channel_levels = frame_level_db(y=y, sr=sr)
    noise = float(np.percentile(channel_levels, NOISE_PERCENTILE)) if channel_levels.size else None

    if options.tracker == "praat":
        from callscore.prosody.praat import praat_track

        audio = np.concatenate([as_float32(y[a:b]) for a, b in idx]) if idx else np.zeros(0, np.float32)
        track, jitter, shimmer = praat_track(y=audio, sr=sr, fmin=options.fmin, fmax=options.fmax)
    else:
        # Resampled span by span to the tracker's rate before joining: the joined speech is then held
        # at 8 kHz only.
        slow = _spans_at_track_rate(y=y, sr=sr, idx=idx)
        track = track_pitch(y=slow, sr=TRACK_RATE, fmin=options.fmin, fmax=options.fmax)
        jitter, shimmer = None, None
    times, keep = _to_call_time(track, idx, sr)
    return SpeakerFrames(
        times=times[keep],
        f0=track.f0[keep],
        level_db=track.level_db[keep],
        periodicity=track.periodicity[keep],
        noise_floor_db=noise,
        clipped_fraction=clipped,
        jitter_pct=jitter,
        shimmer_pct=shimmer,
    )


def _clipped(x: np.ndarray) -> int:
    """Samples of ``x`` at full scale."""
    return int(np.count_nonzero((x >= CLIP_LEVEL) | (x <= -CLIP_LEVEL)))


def _spans_at_track_rate(*, y: np.ndarray, sr: int, idx: Sequence[tuple[int, int]]) -> np.ndarray:
    """``y[a:b]`` of each span resampled to :data:`TRACK_RATE` and joined; each piece is cut or padded
    to the length its place in the joined 16 kHz signal implies, so frame times map back exactly."""
    ratio = TRACK_RATE / sr
    total = int(round(sum(b - a for a, b in idx) * ratio))
    # Written in place, never a list of pieces joined after (twice the speech at once); a long speaker's
    # speech goes to a file-backed map whose written pages are let go, as the call's own samples are.
    big = total * np.dtype(np.float32).itemsize > JOINED_IN_MEMORY_BYTES
    out = file_backed((total,), np.float32) if big else np.zeros(total, np.float32)
    at, pos = 0, 0
    for a, b in idx:
        n = int(round((at + b - a) * ratio)) - int(round(at * ratio))
        at += b - a
        piece = to_track_rate(y=as_float32(y[a:b]), sr=sr)[:n]
        out[pos : pos + piece.size] = piece  # a short piece is padded with the zeros already there
        release(out[pos : pos + n])
        pos += n
    return out


def _to_call_time(
    track: PitchTrack, idx: Sequence[tuple[int, int]], sr: int
) -> tuple[np.ndarray, np.ndarray]:
    """Map frame times of the concatenated spans back to call time; mark frames away from joins."""
    if not idx or track.times.size == 0:
        return track.times, np.zeros(track.times.size, bool)
    lengths = np.array([b - a for a, b in idx]) / sr
    offsets = np.concatenate([[0.0], np.cumsum(lengths)[:-1]])
    starts = np.array([a for a, _ in idx]) / sr
    k = np.clip(np.searchsorted(offsets, track.times, side="right") - 1, 0, len(idx) - 1)
    local = track.times - offsets[k]
    keep = (local >= JUNCTION_GUARD) & (local <= lengths[k] - JUNCTION_GUARD)
    return starts[k] + local, keep


def _robust_std(x: np.ndarray) -> float:
    q75, q25 = np.percentile(x, [75, 25])
    return float((q75 - q25) / 1.349)


def semitones(f0: np.ndarray) -> np.ndarray:
    """F0 in semitones relative to :data:`REF_HZ` (shape kept)."""
    return 12.0 * np.log2(f0 / REF_HZ)


def measure(
    *,
    frames: SpeakerFrames,
    runs: Sequence[tuple[Word, ...]],
    start: float,
    end: float,
    options: ProsodyOptions,
    language: str = "id",
) -> ProsodyFeatures:
    """Features of the speaker between ``start`` and ``end`` (s).

    Parameters
    ----------
    frames : the speaker's frame-wise pitch and level over the whole call
    runs : the speaker's speaking runs over the whole call (see :func:`speech_runs`)
    start, end : the stretch to describe, seconds from call start (words count by their start time)
    options : thresholds
    language : transcript language, for syllable counting

    Returns
    -------
    ProsodyFeatures; ``problems`` says why it cannot be scored, if so
    """
    sub_runs = [r for r in (tuple(w for w in run if start <= w.start < end) for run in runs) if r]
    words = [w for r in sub_runs for w in r]
    fillers = [w for w in words if is_filled_pause(w.text)]
    n_syll = sum(count_syllables(w.text, language=language) for w in words if not is_filled_pause(w.text))
    speaking = sum(r[-1].end - r[0].start for r in sub_runs)
    pauses = [
        b.start - a.end
        for r in sub_runs
        for a, b in zip(r, r[1:], strict=False)
        if b.start - a.end >= options.pause_min
    ]
    pause_time = float(sum(pauses))

    in_window = (frames.times >= start) & (frames.times < end)
    voiced = in_window & frames.voiced
    f0 = frames.f0[voiced]
    st = semitones(f0) if f0.size else f0
    levels = frames.level_db[voiced]
    voiced_time = float(voiced.sum() * HOP)
    pitch_ok = voiced_time >= MIN_VOICED

    problems = []
    if len(words) < options.min_words or speaking < options.min_speech:
        problems.append(
            f"too little speech ({len(words)} words, {speaking:.1f} s; needs {options.min_words} words "
            f"and {options.min_speech:.0f} s)"
        )
    elif all(len(r) == 1 for r in sub_runs):
        problems.append("only one-word turns (back-channels): no running speech to judge")
    speech_level = (
        float(np.percentile(frames.level_db[in_window], SILENT_PERCENTILE)) if in_window.any() else None
    )
    if not problems and (speech_level is None or speech_level < SILENT_DB):
        at = "no frames" if speech_level is None else f"loudest frames {speech_level:.0f} dBFS"
        problems.append(
            f"the speaker's audio is silent ({at}, below {SILENT_DB:.0f} dBFS): muted or dead channel"
        )
    if not problems and frames.clipped_fraction > options.max_clipped:
        problems.append(
            f"audio clipped: {100 * frames.clipped_fraction:.1f} % of samples at full scale "
            f"(limit {100 * options.max_clipped:.0f} %); record at a lower gain"
        )
    snr = None
    if levels.size and frames.noise_floor_db is not None:
        snr = float(np.median(levels)) - frames.noise_floor_db
    if not problems and snr is not None and snr < options.min_snr_db:
        problems.append(f"too noisy: estimated SNR {snr:.0f} dB (needs {options.min_snr_db:.0f} dB)")
    if not problems and not pitch_ok:
        problems.append(f"no voiced speech found ({voiced_time:.1f} s voiced; needs {MIN_VOICED:.0f} s)")

    periodicity = np.clip(frames.periodicity[voiced], 1e-6, 0.999)
    notes = []
    if frames.jitter_pct is None:
        notes.append("jitter/shimmer not measured: needs cycle-level period marks (use the praat tracker)")
    finals = _final_movements(frames, sub_runs)
    return ProsodyFeatures(
        start=start,
        end=end,
        n_words=len(words),
        n_syllables=n_syll,
        n_runs=len(sub_runs),
        speaking_time=round(speaking, 3),
        voiced_time=round(voiced_time, 3),
        f0_median_hz=_r(np.median(f0)) if pitch_ok else None,
        f0_spread_st=_r(_robust_std(st)) if pitch_ok else None,
        f0_range_st=_r(np.percentile(st, 95) - np.percentile(st, 5)) if pitch_ok else None,
        loudness_db=_r(np.median(levels)) if pitch_ok else None,
        loudness_spread_db=_r(_robust_std(levels)) if pitch_ok else None,
        loudness_decline_db=_loudness_decline(frames, sub_runs),
        speaking_rate=_r(n_syll / speaking) if speaking > 0 else None,
        articulation_rate=_r(n_syll / (speaking - pause_time)) if speaking - pause_time > 0 else None,
        pause_rate=_r(60.0 * len(pauses) / speaking) if speaking > 0 else None,
        pause_mean=_r(np.mean(pauses)) if pauses else (0.0 if speaking > 0 else None),
        pause_ratio=_r(pause_time / speaking) if speaking > 0 else None,
        filled_pauses=len(fillers),
        filled_pause_rate=_r(100.0 * len(fillers) / len(words)) if words else None,
        final_rise_fraction=_r(np.mean([m > FINAL_MOVE_ST for m in finals])) if finals else None,
        final_movement_st=_r(np.median(finals)) if finals else None,
        hnr_db=_r(np.median(10 * np.log10(periodicity / (1 - periodicity)))) if pitch_ok else None,
        jitter_pct=frames.jitter_pct,
        shimmer_pct=frames.shimmer_pct,
        snr_db=_r(min(snr, 99.0)) if snr is not None else None,
        clipped_fraction=round(frames.clipped_fraction, 5),
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _r(x: float | np.floating) -> float:
    return round(float(x), 3)


def _final_movements(frames: SpeakerFrames, runs: Sequence[tuple[Word, ...]]) -> list[float]:
    """Pitch movement (semitones) at the end of each multi-word run that is not a question: over the
    voiced frames of the last ``FINAL_SPAN`` s of its last word, median of the last third minus median of
    the first third."""
    out = []
    for run in runs:
        last = run[-1]
        if len(run) < 2 or last.text.strip().endswith("?"):
            continue
        f0 = frames.voiced_f0(max(last.start, last.end - FINAL_SPAN), last.end + PAD)
        if f0.size < FINAL_MIN_FRAMES:
            continue
        st = semitones(f0)
        third = st.size // 3
        out.append(float(np.median(st[-third:]) - np.median(st[:third])))
    return out


def _loudness_decline(frames: SpeakerFrames, runs: Sequence[tuple[Word, ...]]) -> float | None:
    """Median over runs of >= 4 words of the fitted level drop from first to last word (dB)."""
    declines = []
    for run in runs:
        if len(run) < 4:
            continue
        levels = []
        for w in run:
            a, b = np.searchsorted(frames.times, [w.start, w.end])
            lv = frames.level_db[a:b][~np.isnan(frames.f0[a:b])]
            if lv.size:
                levels.append(float(np.median(lv)))
        if len(levels) < 4:
            continue
        pos = np.linspace(0.0, 1.0, len(levels))
        slope = np.polyfit(pos, levels, 1)[0]
        declines.append(-float(slope))
    return _r(np.median(declines)) if declines else None
