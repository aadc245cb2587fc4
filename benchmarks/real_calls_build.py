"""Build the real-voice dev set: two-party calls spliced from recorded Indonesian speech (INDspeech).

    PYTHONPATH=. python benchmarks/real_calls_build.py --corpus DIR [--digits DIR]
        [--out /work/data/real_calls]

Sources (CC BY-NC-SA 4.0, never copied into this repository; see docs/real-voice-benchmark.md):

- ``--corpus`` / ``CALLSCORE_SVCSR``: INDspeech TELDIALOG SVCSR
  (github.com/s-sakti/data_indsp_teldialog_svcsr), 100 telephone-service sentences per speaker. Only
  ``speech/train/`` is read; the test split is reserved. Agent turns (greetings, offers of help,
  questions, prices, next steps, thanks) come from it.
- ``--digits`` / ``CALLSCORE_CDSR`` (optional): INDspeech DIGIT CDSR
  (github.com/s-sakti/data_indsp_digit_cdsr), connected digits, ``speech/train/`` + ``text/train/``
  only. Customers read phone and account numbers in these real, independent voices.

Customer *sentences* (a greeting when the customer speaks first, "dimana alamat mereka", "terima kasih") exist
only in TELDIALOG. When it holds a single train speaker the customer's sentences are that speaker's recordings
resampled down (lower pitch and formants, slower): labelled ``derived`` in the labels, not an
independent voice.

Each call is written three ways: ``stereo16`` (16 kHz PCM, agent and customer on their own channels),
``mono16`` (the two summed) and ``tel8`` (8 kHz µ-law stereo, 300-3400 Hz band, line hiss), with
``<call>.labels.json`` holding every placed utterance, the true interruptions and dead air, the agent channel
and the item truth. The builder is deterministic for a given seed and corpus.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import sys
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000  # Hz
TEL_RATE = 8000  # Hz
TRIM_DB = 35.0  # dB below a clip's loudest 10 ms frame that counts as silence at its edges
TRIM_PAD = 0.03  # s kept either side of the audible part
FRAME = 0.01  # s
AGENT_RMS_DB = -22.0  # dBFS of agent speech
CUSTOMER_RMS_DB = (-30.0, -20.0)  # dBFS range of customer speech (far end quieter or louder)
HISS_DB = -62.0  # dBFS white noise under every 16 kHz channel (no digitally silent channels)
TEL_HISS_DB = -48.0  # dBFS line hiss added in the telephone condition
TEL_BAND = (300.0, 3400.0)  # Hz
DERIVED_RATIO = (0.84, 0.80)  # playback-rate factors making the derived customer voice (lower, slower)
DEAD_AIR_S = (9.0, 12.0)  # s, true dead air (the rubric's bar is 8 s)
GAP_S = (0.35, 1.4)  # s, ordinary hand-over pauses
INTERRUPT_AFTER = 0.9  # s into the customer's turn before the agent cuts in (at least)
INTERRUPT_OVERLAP = 0.8  # s of overlap at least (the rubric's bar is 0.5 s)
ENV_CORPUS = "CALLSCORE_SVCSR"
ENV_DIGITS = "CALLSCORE_CDSR"
DEFAULT_OUT = "/work/data/real_calls"
CONDITIONS = ("stereo16", "mono16", "tel8")

# TELDIALOG sentence ids by what they do in a call (text/Uxxx.ANS); the truth of phrase items comes from
# these tags, judged by what the sentence *means*, not by the rubric's wording.
GREETINGS = ("U001", "U002", "U003", "U013", "U014", "U015", "U016", "U017", "U018")
OFFERS = ("U004", "U005", "U006")  # "ada yang bisa dibantu", "ada yang bisa saya bantu", "bisa saya bantu"
QUESTIONS = ("U007", "U008", "U009", "U019", "U020", "U033", "U034", "U035")
INFO = ("U021", "U022", "U023", "U024", "U025", "U026", "U032")
NEXT_STEPS = ("U010", "U011", "U012", "U042")  # "(baik) kami akan kirim bantuan segera", "kami segera datang"
CONTACT = ("U030", "U031")  # "kalau perlu bantuan hubungi saya di <number>"
THANKS = "U027"
CUSTOMER_GREETINGS = ("U016", "U017", "U018")  # "halo selamat pagi/siang/malam"
CUSTOMER_ASKS = ("U040", "U041")  # "dimana alamat mereka"
ITEM_TAGS: Mapping[str, tuple[str, ...]] = {
    "greeting": GREETINGS,
    "offer_help": OFFERS,
    "solution_next_step": NEXT_STEPS,
    "closing_thanks": (THANKS,),
}
ALWAYS_ABSENT = ("polite_address", "satisfaction_check")  # no sentence says "bapak/ibu" or "ada lagi"
WINDOWS = {"greeting": ("first", 20.0), "offer_help": ("first", 45.0), "closing_thanks": ("last", 45.0)}


class CorpusMissing(Exception):
    """The corpus folder is absent or holds no usable train speaker."""


@dataclass(frozen=True)
class Clip:
    """One recorded utterance, trimmed to its audible part.

    Attributes:
        speaker: Corpus speaker id (e.g. "FRE"), with "~derived" appended for resampled copies.
        utt: Utterance id ("U005" or the digit file stem).
        text: Lower-case words said.
        samples: Mono float32 at 16 kHz, scaled to unit RMS over its loud frames.
        source: "teldialog" or "cdsr".
        derived: True for a resampled copy (not an independent voice).
    """

    speaker: str
    utt: str
    text: str
    samples: np.ndarray = field(repr=False)
    source: str = "teldialog"
    derived: bool = False

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.samples.size / SAMPLE_RATE


@dataclass(frozen=True)
class Placed:
    """An utterance placed in a call.

    Attributes:
        role: "agent" or "customer".
        start: Onset in seconds.
        end: Offset in seconds.
        text: Words said.
        speaker: Corpus speaker id.
        utt: Utterance id.
        tag: What the turn does ("greeting", "offer_help", "digits", "interruption", ...).
        derived: The voice is a resampled copy.
    """

    role: str
    start: float
    end: float
    text: str
    speaker: str
    utt: str
    tag: str
    derived: bool = False


@dataclass(frozen=True)
class Corpus:
    """The speech a dev set is spliced from.

    Attributes:
        agents: TELDIALOG train speaker id -> sentence id -> clip.
        customers: Real customer voices (digit speakers) -> list of digit clips.
        derived_customers: Resampled TELDIALOG voices -> sentence id -> clip (customer sentences).
    """

    agents: Mapping[str, Mapping[str, Clip]]
    customers: Mapping[str, Sequence[Clip]]
    derived_customers: Mapping[str, Mapping[str, Clip]]


def trim(*, y: np.ndarray, sr: int = SAMPLE_RATE) -> np.ndarray:
    """The audible part of a clip, ``TRIM_PAD`` either side, scaled to unit RMS over its loud frames.

    Parameters
    ----------
    y : np.ndarray, shape (n,), float
    sr : Hz

    Returns
    -------
    np.ndarray, shape (m,), float32; empty when nothing is audible
    """
    n = int(FRAME * sr)
    if y.size < n:
        return np.zeros(0, np.float32)
    rms = np.sqrt(np.mean(y[: y.size // n * n].reshape(-1, n) ** 2, axis=1)) + 1e-12
    db = 20 * np.log10(rms)
    loud = np.flatnonzero(db > db.max() - TRIM_DB)
    if loud.size == 0 or db.max() < -70:
        return np.zeros(0, np.float32)
    pad = int(TRIM_PAD * sr)
    a, b = max(0, loud[0] * n - pad), min(y.size, (loud[-1] + 1) * n + pad)
    out = y[a:b].astype(np.float64)
    level = np.sqrt(np.mean(rms[loud] ** 2))
    out = out / level
    ramp = min(int(0.01 * sr), out.size // 2)
    if ramp:
        fade = np.linspace(0.0, 1.0, ramp)
        out[:ramp] *= fade
        out[-ramp:] *= fade[::-1]
    return out.astype(np.float32)


def derive_voice(*, y: np.ndarray, ratio: float) -> np.ndarray:
    """A lower, slower copy of a clip (played at ``ratio`` of its speed): pitch and formants drop together.

    Not an independent speaker; used only where the corpus has no second voice for a sentence.
    """
    from scipy.signal import resample_poly

    up = 100
    down = int(round(up * ratio))
    return resample_poly(y, up, down).astype(np.float32)


def _words_of(text: str) -> str:
    return " ".join(w.lower() for w in text.split() if not w.startswith("|"))


def _read_wav(data: bytes) -> np.ndarray:
    import soundfile as sf

    y, sr = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    if sr != SAMPLE_RATE:
        from scipy.signal import resample_poly

        y = resample_poly(y, SAMPLE_RATE, sr, axis=0)
    return y.mean(axis=1)


def _train_members(folder: Path, what: str) -> dict[str, dict[str, bytes]]:
    """Speaker id -> file name -> bytes, from ``<folder>/<what>/train/`` zips or extracted files only."""
    base = folder / what / "train"
    out: dict[str, dict[str, bytes]] = {}
    if not base.is_dir():
        return out
    for z in sorted(base.glob("*.zip")):
        try:
            with zipfile.ZipFile(z) as zf:
                out.setdefault(z.stem, {}).update(
                    {Path(n).name: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
                )
        except zipfile.BadZipFile:
            print(f"{z}: not a readable zip, skipped", file=sys.stderr)
    for f in sorted(base.glob("*_*.*")):
        if f.suffix.lower() in (".wav", ".txt"):
            out.setdefault(f.name.split("_")[0], {})[f.name] = f.read_bytes()
    return out


def teldialog_texts(folder: Path) -> dict[str, str]:
    """Sentence id -> lower-case text, from ``text/text.zip`` or extracted ``text/Uxxx.ANS``."""
    texts: dict[str, str] = {}
    z = folder / "text" / "text.zip"
    if z.is_file():
        with zipfile.ZipFile(z) as zf:
            for n in zf.namelist():
                m = re.search(r"(U\d{3})\.ANS$", n)
                if m:
                    texts[m.group(1)] = _words_of(zf.read(n).decode("latin-1"))
    for f in sorted((folder / "text").glob("U*.ANS")):
        texts[f.stem] = _words_of(f.read_text("latin-1"))
    return texts


def load_corpus(*, corpus: Path, digits: Path | None, min_digits: int = 4) -> Corpus:
    """Read the train splits into trimmed clips.

    Raises
    ------
    CorpusMissing
        No TELDIALOG train speaker with the sentences a call needs.
    """
    if not corpus.is_dir():
        raise CorpusMissing(f"{corpus}: corpus folder not found (set --corpus or {ENV_CORPUS})")
    texts = teldialog_texts(corpus)
    if not texts:
        raise CorpusMissing(f"{corpus}: no text/text.zip or text/U*.ANS")
    agents: dict[str, dict[str, Clip]] = {}
    for spk, files in _train_members(corpus, "speech").items():
        clips = {}
        for name, data in files.items():
            m = re.fullmatch(rf"{spk}_(U\d{{3}})\.wav", name, flags=re.IGNORECASE)
            if m and m.group(1) in texts:
                y = trim(y=_read_wav(data))
                if y.size:
                    clips[m.group(1)] = Clip(spk, m.group(1), texts[m.group(1)], y)
        needed = set(GREETINGS) | set(OFFERS) | {THANKS} | set(NEXT_STEPS)
        if needed <= clips.keys():
            agents[spk] = clips
    if not agents:
        raise CorpusMissing(f"{corpus}: no usable speaker under speech/train/ (zips or SPK_Uxxx.wav)")
    customers: dict[str, list[Clip]] = {}
    if digits is not None and digits.is_dir():
        texts_d = _train_members(digits, "text")
        for spk, files in _train_members(digits, "speech").items():
            if spk in agents:
                continue
            for name, data in sorted(files.items()):
                if not name.lower().endswith(".wav"):
                    continue
                txt = texts_d.get(spk, {}).get(name[:-4] + ".txt")
                if txt is None:
                    continue
                words = _words_of(txt.decode("latin-1"))
                if len(words.split()) < min_digits:
                    continue
                y = trim(y=_read_wav(data))
                if y.size:
                    customers.setdefault(spk, []).append(Clip(spk, name[:-4], words, y, source="cdsr"))
    derived: dict[str, dict[str, Clip]] = {}
    for i, (spk, clips) in enumerate(sorted(agents.items())):
        ratio = DERIVED_RATIO[i % len(DERIVED_RATIO)]
        name = f"{spk}~derived{ratio:.2f}"
        derived[name] = {
            u: Clip(name, u, c.text, derive_voice(y=c.samples, ratio=ratio), derived=True)
            for u, c in clips.items()
            if u in CUSTOMER_GREETINGS + CUSTOMER_ASKS + (THANKS,) + CONTACT
        }
    return Corpus(agents, customers, derived)


@dataclass(frozen=True)
class CallPlan:
    """What a call is made of.

    Attributes:
        call_id: File stem.
        kind: "standard", "customer_first", "no_opening" or "no_opening_customer_first".
        agent: Agent speaker id.
        customer: Customer voice for digits (real) or None.
        customer_sentences: Voice of the customer's sentences (derived) .
        agent_channel: 0 (left) or 1 (right).
        interruptions: How many agent-over-customer interruptions to place.
        dead_air: How many dead-air gaps to place.
        short_offer: Use the shorter offer form "bisa saya bantu".
    """

    call_id: str
    kind: str
    agent: str
    customer: str | None
    customer_sentences: str
    agent_channel: int
    interruptions: int
    dead_air: int
    short_offer: bool


def plan_calls(*, corpus: Corpus, n_calls: int, seed: int) -> list[CallPlan]:
    """Call plans covering every kind, both agent channels, interruptions and dead air spread out."""
    rng = random.Random(seed)
    kinds = ("standard", "standard", "customer_first", "no_opening", "standard", "no_opening_customer_first")
    agents = sorted(corpus.agents)
    customers = sorted(corpus.customers) or [None]
    derived = sorted(corpus.derived_customers)
    rng.shuffle(customers)
    plans = []
    for i in range(n_calls):
        plans.append(
            CallPlan(
                call_id=f"real{i:03d}",
                kind=kinds[i % len(kinds)],
                agent=agents[i % len(agents)],
                customer=customers[i % len(customers)],
                customer_sentences=derived[i % len(derived)],
                agent_channel=1 if i % 4 in (1, 2) else 0,
                interruptions=(1, 0, 2, 1)[i % 4],
                dead_air=1 if i % 5 in (1, 3) else 0,
                short_offer=i % 4 == 2,
            )
        )
    return plans


def _digits_clip(corpus: Corpus, plan: CallPlan, rng: random.Random, *, min_s: float = 0.0) -> Clip:
    if plan.customer is None:  # no digit corpus: the derived voice reads the contact number sentence
        return corpus.derived_customers[plan.customer_sentences][rng.choice(CONTACT)]
    pool = [c for c in corpus.customers[plan.customer] if c.duration >= min_s] or list(
        corpus.customers[plan.customer]
    )
    return rng.choice(pool)


def script(*, corpus: Corpus, plan: CallPlan, seed: int) -> list[tuple[str, Clip, str]]:
    """The call's turns in order as (role, clip, tag); tags name the items the turn is evidence for."""
    rng = random.Random(f"{seed}:{plan.call_id}")
    a = corpus.agents[plan.agent]
    cs = corpus.derived_customers[plan.customer_sentences]
    turns: list[tuple[str, Clip, str]] = []
    if plan.kind.endswith("customer_first"):
        turns.append(("customer", cs[rng.choice(CUSTOMER_GREETINGS)], "customer_greeting"))
    if not plan.kind.startswith("no_opening"):
        turns.append(("agent", a[rng.choice(GREETINGS)], "greeting"))
        offer = "U006" if plan.short_offer else rng.choice(("U004", "U005"))
        turns.append(("agent", a[offer], "offer_help"))
    else:
        turns.append(("agent", a[rng.choice(QUESTIONS)], "question"))
    turns.append(("customer", cs[rng.choice(CUSTOMER_ASKS)], "customer_ask"))
    turns.append(("agent", a[rng.choice(QUESTIONS)], "question"))
    for _ in range(2):
        turns.append(("customer", _digits_clip(corpus, plan, rng, min_s=2.5), "digits"))
        turns.append(("agent", a[rng.choice(INFO + QUESTIONS)], "info"))
    turns.append(("customer", _digits_clip(corpus, plan, rng, min_s=2.5), "digits"))
    turns.append(("agent", a[rng.choice(NEXT_STEPS)], "solution_next_step"))
    if plan.kind == "standard":
        turns.append(("agent", a[rng.choice(CONTACT)], "contact"))
    turns.append(("customer", cs[THANKS], "customer_thanks"))
    if not plan.kind.startswith("no_opening"):
        turns.append(("agent", a[THANKS], "closing_thanks"))
    return turns


def place(*, corpus: Corpus, plan: CallPlan, seed: int) -> tuple[list[Placed], list[dict[str, float]], float]:
    """Lay the script out in time: gaps, dead air and agent-over-customer interruptions.

    Returns
    -------
    (placed utterances, dead-air gaps as {"start", "end"}, call duration in seconds)
    """
    rng = random.Random(f"{seed}:{plan.call_id}:time")
    turns = script(corpus=corpus, plan=plan, seed=seed)
    # Interruptions go on long customer digit turns followed by an agent turn; dead air after an agent turn
    # in the middle of the call (the agent "checking" without saying so).
    long_digits = [
        i
        for i, (r, c, t) in enumerate(turns[:-1])
        if t == "digits"
        and c.duration >= INTERRUPT_AFTER + INTERRUPT_OVERLAP + 0.4
        and turns[i + 1][0] == "agent"
    ]
    cut_in = set(rng.sample(long_digits, min(plan.interruptions, len(long_digits))))
    middle = [i for i, (r, _, t) in enumerate(turns) if r == "agent" and 2 <= i < len(turns) - 3]
    dead_after = set(rng.sample(middle, min(plan.dead_air, len(middle))))
    placed: list[Placed] = []
    dead: list[dict[str, float]] = []
    t = rng.uniform(0.5, 1.2)
    prev_end = 0.0
    for i, (role, clip, tag) in enumerate(turns):
        start = t
        if i - 1 in cut_in:
            c = placed[-1]
            dur = c.end - c.start
            latest = dur - INTERRUPT_OVERLAP - 0.1
            start = c.start + rng.uniform(INTERRUPT_AFTER, max(INTERRUPT_AFTER, latest))
            tag = "interruption"
        end = start + clip.duration
        placed.append(
            Placed(role, round(start, 3), round(end, 3), clip.text, clip.speaker, clip.utt, tag, clip.derived)
        )
        prev_end = max(prev_end, end)
        if i in dead_after:
            gap = rng.uniform(*DEAD_AIR_S)
            dead.append({"start": round(prev_end, 3), "end": round(prev_end + gap, 3)})
            t = prev_end + gap
        else:
            t = prev_end + rng.uniform(*GAP_S)
    return placed, dead, round(prev_end + rng.uniform(0.8, 1.5), 3)


def item_truth(*, placed: Sequence[Placed], duration: float) -> dict[str, bool]:
    """Whether the agent did each phrase item, from the sentence tags and the rubric's windows."""
    truth: dict[str, bool] = {}
    for item, utts in ITEM_TAGS.items():
        ok = False
        for p in placed:
            if p.role != "agent" or p.utt not in utts:
                continue
            if item == "closing_thanks" and p.tag != "closing_thanks":
                continue
            side, secs = WINDOWS.get(item, ("any", 0.0))
            if side == "first" and p.start > secs or side == "last" and p.end < duration - secs:
                continue
            ok = True
        truth[item] = ok
    truth.update({i: False for i in ALWAYS_ABSENT})
    return truth


def render(
    *,
    placed: Sequence[Placed],
    clips: Mapping[tuple[str, str], Clip],
    duration: float,
    agent_channel: int,
    seed: int,
) -> np.ndarray:
    """The stereo 16 kHz call: each role's clips on its channel at its level, hiss under both.

    Returns
    -------
    np.ndarray, shape (2, n), float32; agent on ``agent_channel``
    """
    rng = np.random.default_rng(seed)
    n = int(round(duration * SAMPLE_RATE))
    out = rng.standard_normal((2, n)) * 10 ** (HISS_DB / 20)
    cust_db = float(rng.uniform(*CUSTOMER_RMS_DB))
    for p in placed:
        ch = agent_channel if p.role == "agent" else 1 - agent_channel
        y = clips[(p.speaker, p.utt)].samples
        gain = 10 ** ((AGENT_RMS_DB if p.role == "agent" else cust_db) / 20)
        a = int(round(p.start * SAMPLE_RATE))
        seg = y[: max(0, n - a)]
        out[ch, a : a + seg.size] += seg * gain
    peak = float(np.max(np.abs(out)))
    if peak > 0.98:
        out *= 0.98 / peak
    return out.astype(np.float32)


def telephone(*, stereo: np.ndarray, seed: int) -> np.ndarray:
    """Telephone band (300-3400 Hz) at 8 kHz with line hiss, ready for µ-law.

    Returns
    -------
    np.ndarray, shape (2, n // 2), float32
    """
    from scipy.signal import butter, resample_poly, sosfilt

    sos = butter(4, TEL_BAND, btype="bandpass", fs=SAMPLE_RATE, output="sos")
    y = resample_poly(sosfilt(sos, stereo, axis=1), 1, 2, axis=1)
    y = y + np.random.default_rng(seed + 1).standard_normal(y.shape) * 10 ** (TEL_HISS_DB / 20)
    return np.clip(y, -0.99, 0.99).astype(np.float32)


def write_call(*, folder: Path, call_id: str, stereo: np.ndarray, seed: int) -> dict[str, str]:
    """Write the three conditions; returns condition -> file name."""
    import soundfile as sf

    files = {c: f"{call_id}.{c}.wav" for c in CONDITIONS}
    sf.write(folder / files["stereo16"], stereo.T, SAMPLE_RATE, subtype="PCM_16")
    mono = stereo.sum(axis=0)
    mono = mono / max(1.0, float(np.max(np.abs(mono))) / 0.95)
    sf.write(folder / files["mono16"], mono, SAMPLE_RATE, subtype="PCM_16")
    sf.write(folder / files["tel8"], telephone(stereo=stereo, seed=seed).T, TEL_RATE, subtype="ULAW")
    return files


def build_call(*, corpus: Corpus, plan: CallPlan, folder: Path, seed: int) -> dict[str, object]:
    """Render, write and label one call; returns its labels (also written as ``<call>.labels.json``)."""
    placed, dead, duration = place(corpus=corpus, plan=plan, seed=seed)
    clips: dict[tuple[str, str], Clip] = {}
    for group in (corpus.agents, corpus.derived_customers):
        for spk, by_utt in group.items():
            clips.update({(spk, u): c for u, c in by_utt.items()})
    for spk, lst in corpus.customers.items():
        clips.update({(spk, c.utt): c for c in lst})
    call_seed = seed * 1000 + int(plan.call_id[-3:])
    stereo = render(
        placed=placed, clips=clips, duration=duration, agent_channel=plan.agent_channel, seed=call_seed
    )
    files = write_call(folder=folder, call_id=plan.call_id, stereo=stereo, seed=call_seed)
    interruptions = []
    for i, p in enumerate(placed):
        if p.tag == "interruption":
            held = placed[i - 1]
            interruptions.append(
                {"start": p.start, "end": min(p.end, held.end), "by": "agent", "held_end": held.end}
            )
    labels: dict[str, object] = {
        "call_id": plan.call_id,
        "kind": plan.kind,
        "duration": duration,
        "agent_channel": plan.agent_channel,
        "agent_speaker": plan.agent,
        "customer_speakers": sorted({p.speaker for p in placed if p.role == "customer"}),
        "derived_voices": sorted({p.speaker for p in placed if p.derived}),
        "files": files,
        "utterances": [asdict(p) for p in placed],
        "interruptions": interruptions,
        "dead_air": dead,
        "items": item_truth(placed=placed, duration=duration),
        "talk_ratio": _talk_ratio(placed),
        "plan": asdict(plan),
        "licence": "derived from INDspeech (CC BY-NC-SA 4.0): do not redistribute",
    }
    (folder / f"{plan.call_id}.labels.json").write_text(json.dumps(labels, indent=1))
    return labels


def _talk_ratio(placed: Sequence[Placed]) -> float:
    def union(role: str) -> float:
        spans = sorted((p.start, p.end) for p in placed if p.role == role)
        total, cur_s, cur_e = 0.0, None, None
        for s, e in spans:
            if cur_e is None or s > cur_e:
                total += 0.0 if cur_e is None or cur_s is None else cur_e - cur_s
                cur_s, cur_e = s, e
            else:
                cur_e = max(cur_e, e)
        return total + (cur_e - cur_s if cur_e is not None and cur_s is not None else 0.0)

    a, c = union("agent"), union("customer")
    return round(a / (a + c), 4) if a + c else 0.0


def corpus_folders(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """The corpus folders from the options, else the environment."""
    corpus = args.corpus or os.environ.get(ENV_CORPUS)
    digits = args.digits or os.environ.get(ENV_DIGITS)
    return (Path(corpus) if corpus else None, Path(digits) if digits else None)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", help=f"INDspeech TELDIALOG SVCSR folder (or ${ENV_CORPUS})")
    p.add_argument("--digits", help=f"INDspeech DIGIT CDSR folder, optional (or ${ENV_DIGITS})")
    p.add_argument("--out", default=DEFAULT_OUT, help="output folder (outside the repository)")
    p.add_argument("--calls", type=int, default=24)
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args(argv)
    corpus_dir, digits_dir = corpus_folders(args)
    if corpus_dir is None:
        print(f"SKIP: no corpus given (--corpus DIR or {ENV_CORPUS}); see docs/real-voice-benchmark.md")
        return 0
    try:
        corpus = load_corpus(corpus=corpus_dir, digits=digits_dir)
    except CorpusMissing as e:
        print(f"SKIP: {e}")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    plans = plan_calls(corpus=corpus, n_calls=args.calls, seed=args.seed)
    summary = []
    for plan in plans:
        labels = build_call(corpus=corpus, plan=plan, folder=out, seed=args.seed)
        summary.append(labels)
        print(
            f"{plan.call_id} {plan.kind:27s} {labels['duration']:6.1f} s agent ch{plan.agent_channel} "
            f"{plan.agent}/{','.join(labels['customer_speakers'])} "  # type: ignore[arg-type]
            f"int={len(labels['interruptions'])} dead={len(labels['dead_air'])}"  # type: ignore[arg-type]
        )
    manifest = {
        "calls": [s["call_id"] for s in summary],
        "seed": args.seed,
        "agent_speakers": sorted(corpus.agents),
        "customer_speakers_real": sorted(corpus.customers),
        "customer_voices_derived": sorted(corpus.derived_customers),
        "sources": {"teldialog": str(corpus_dir), "cdsr": str(digits_dir) if digits_dir else None},
        "splits": "speech/train only",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(
        f"{len(summary)} calls in {out}: agents {len(corpus.agents)} real voice(s) {sorted(corpus.agents)}, "
        f"customers {len(corpus.customers)} real digit voices + {len(corpus.derived_customers)} derived"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
