"""Which speaker is the agent: decided from what each one says, tolerant of ASR errors.

Agents greet with the company's name ("terima kasih telah menghubungi ..."), introduce themselves
("dengan saya Rina"), offer help ("ada yang bisa saya bantu"), address the caller as Bapak/Ibu, apologise,
ask the caller to wait, ask for times, dates and addresses and quote prices. Who speaks first tells little
(callers often open with "halo, selamat siang" before the agent's greeting), so it is not a cue.
Customers state a problem ("saya mau komplain",
"pesanan saya belum sampai"), ask why and when, and address the agent as Mbak/Mas. Each cue carries a
weight; a speaker's score is the weight of agent cues found minus that of customer cues, and the speaker
with the higher score is the agent. When the margin is below ``min_margin`` the content cues are weak and a
recorder convention decides, if the caller gives one (stereo: the agent's channel, ``convention_agent``);
the reason then says so. Otherwise roles stay unknown and role-dependent items are not measured.

Whisper base gets about a quarter of the words wrong, so cues are matched at the character level against
word-aligned stretches of the text (rapidfuzz ``ratio`` >= ``min_similarity``): "trima kasih tlah
menghubungi" still counts, while a short cue such as "ibu" only matches the whole word (never "ribu").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from callscore.resources import DEFAULT_LANGUAGES, language_data
from callscore.transcript.textnorm import plain_text

Cue = tuple[str, float, str]  # (phrase, weight, what it shows)


def language_cues(language: str) -> tuple[tuple[Cue, ...], tuple[Cue, ...]]:
    """(agent cues, customer cues) of one language, from ``rubrics/lang/<language>/roles.yaml``."""
    data = language_data(language, "roles")
    return tuple(
        tuple((str(c["phrase"]), float(c["weight"]), str(c["shows"])) for c in data.get(side) or ())
        for side in ("agent", "customer")
    )  # type: ignore[return-value]


# Calls mix languages ("thank you, Pak"), so the default cues are those of every shipped language.
AGENT_CUES: tuple[Cue, ...] = tuple(c for lang in DEFAULT_LANGUAGES for c in language_cues(lang)[0])
CUSTOMER_CUES: tuple[Cue, ...] = tuple(c for lang in DEFAULT_LANGUAGES for c in language_cues(lang)[1])

MIN_SIMILARITY = 85.0  # rapidfuzz ratio (0..100) for a cue of SHORT_CUE_CHARS or more characters
SHORT_CUE_CHARS = 6  # cues shorter than this only match a whole word exactly
FIRST_SPEAKER_WEIGHT = 0.0  # speaking first is no evidence: callers often open with "halo"
MIN_MARGIN = 1.0  # score margin below which content cues are too weak to decide alone
CONVENTION_CONFIDENCE = 0.55  # a recorder convention is barely better than a coin toss without content
CONFIDENCE_SCALE = 3.0  # score margin at which confidence reaches 1 - e^-1 of the way from 0.5 to 1
MAX_REASON_CUES = 3  # cues named per speaker in the reason
MAX_DETECTED_CONFIDENCE = 0.99  # detection never claims the certainty of a forced choice (1.0)


@dataclass(frozen=True)
class RoleOptions:
    """Settings of role detection.

    Attributes:
        agent_cues: (phrase, weight, what it shows) said by agents.
        customer_cues: (phrase, weight, what it shows) said by customers.
        min_similarity: rapidfuzz ratio 0..100 a word-aligned stretch must reach to count as a cue.
        first_speaker_weight: Score added to the speaker who speaks first (0 by default: no evidence).
        min_margin: Score margin below which the recorder convention decides, when there is one.
    """

    agent_cues: tuple[tuple[str, float, str], ...] = AGENT_CUES
    customer_cues: tuple[tuple[str, float, str], ...] = CUSTOMER_CUES
    min_similarity: float = MIN_SIMILARITY
    first_speaker_weight: float = FIRST_SPEAKER_WEIGHT
    min_margin: float = MIN_MARGIN


@dataclass(frozen=True)
class CueMatch:
    """A cue found in a speaker's speech.

    Attributes:
        cue: The cue phrase.
        found: The stretch of text that matched.
        similarity: 0..1.
        weight: Cue weight (positive for agent cues, negative for customer cues).
        shows: What the cue shows ("offers help").
    """

    cue: str
    found: str
    similarity: float
    weight: float
    shows: str


@dataclass(frozen=True)
class RoleDecision:
    """Which speaker is the agent.

    Attributes:
        agent: Label of the agent, or None when there is nothing to go on.
        confidence: 0.5 (a coin toss) .. 1.0; 0.0 when ``agent`` is None.
        reason: Short readable reason naming the cues.
        scores: Speaker label -> agent score (agent cue weights - customer cue weights + first-speaker).
        matches: Speaker label -> cues found.
    """

    agent: str | None
    confidence: float
    reason: str
    scores: Mapping[str, float] = field(default_factory=dict)
    matches: Mapping[str, tuple[CueMatch, ...]] = field(default_factory=dict)


def find_cues(
    *, text: str, cues: Sequence[tuple[str, float, str]], min_similarity: float = MIN_SIMILARITY
) -> tuple[CueMatch, ...]:
    """Cues present in ``text``, each at most once, best match first within a cue.

    Parameters
    ----------
    text : what one speaker said (any case and punctuation)
    cues : (phrase, weight, what it shows)
    min_similarity : rapidfuzz ratio 0..100 for cues of SHORT_CUE_CHARS or more characters

    Returns
    -------
    tuple of CueMatch in the order of ``cues``
    """
    from rapidfuzz import fuzz, process

    words = plain_text(text).split()
    if not words:
        return ()
    vocabulary = set(words)
    grams: dict[int, list[str]] = {}
    out: list[CueMatch] = []
    for phrase, weight, shows in cues:
        cue = plain_text(phrase)
        n = len(cue.split())
        if len(cue) < SHORT_CUE_CHARS:
            if cue in vocabulary:
                out.append(CueMatch(phrase, cue, 1.0, weight, shows))
            continue
        # Word n-grams of the cue's length +-1: ASR splits and merges words ("terimakasih").
        candidates: list[str] = []
        for k in range(max(1, n - 1), n + 2):
            if k not in grams:
                grams[k] = [" ".join(words[i : i + k]) for i in range(max(0, len(words) - k + 1))]
            candidates.extend(grams[k])
        best = process.extractOne(cue, candidates, scorer=fuzz.ratio, score_cutoff=min_similarity)
        # One stretch of speech counts once: "terima kasih telah/sudah menghubungi" are variants, and
        # "mau komplain" inside an already counted "saya mau komplain" adds nothing.
        if best is not None and not any(best[0] in m.found or m.found in best[0] for m in out):
            out.append(CueMatch(phrase, best[0], round(best[1] / 100, 3), weight, shows))
    return tuple(out)


def decide_roles(
    *,
    texts: Mapping[str, str],
    first_speaker: str | None = None,
    convention_agent: str | None = None,
    convention: str = "",
    options: RoleOptions | None = None,
) -> RoleDecision:
    """Pick the agent among the speakers from what they said.

    Parameters
    ----------
    texts : speaker label -> everything that speaker said
    first_speaker : label of the speaker heard first, or None (counts only with first_speaker_weight)
    convention_agent : the agent by the recorder's convention (stereo: agent channel), used when the cue
        margin is below ``min_margin``; None = no convention, roles stay unknown then
    convention : readable name of that convention, quoted in the reason
    options : cue lists and thresholds

    Returns
    -------
    RoleDecision; confidence = 0.5 + 0.5 * (1 - exp(-margin / CONFIDENCE_SCALE)) where margin is the
    agent's score minus the runner-up's, capped at MAX_DETECTED_CONFIDENCE
    """
    opts = options or RoleOptions()
    labels = sorted(texts)
    if not labels:
        return RoleDecision(None, 0.0, "no speakers")
    matches: dict[str, tuple[CueMatch, ...]] = {}
    scores: dict[str, float] = {}
    for label in labels:
        agent = find_cues(text=texts[label], cues=opts.agent_cues, min_similarity=opts.min_similarity)
        cust = find_cues(text=texts[label], cues=opts.customer_cues, min_similarity=opts.min_similarity)
        cust = tuple(CueMatch(m.cue, m.found, m.similarity, -m.weight, m.shows) for m in cust)
        matches[label] = agent + cust
        scores[label] = sum(m.weight for m in matches[label])
        if label == first_speaker:
            scores[label] += opts.first_speaker_weight
    ranked = sorted(labels, key=lambda s: (-scores[s], s))
    best = ranked[0]
    margin = scores[best] - scores[ranked[1]] if len(ranked) > 1 else scores[best]
    weak = len(ranked) > 1 and margin < opts.min_margin
    if convention_agent is not None and convention_agent in texts and (weak or not any(matches.values())):
        return RoleDecision(
            convention_agent,
            CONVENTION_CONFIDENCE,
            f"recorder convention decided ({convention or convention_agent + ' is the agent'}): "
            f"content cues too weak (margin {margin:.1f} < {opts.min_margin:.1f})",
            scores,
            matches,
        )
    if not any(matches.values()):
        return RoleDecision(None, 0.0, "no agent or customer phrases found", scores, matches)
    if len(ranked) == 1 and margin <= 0:
        return RoleDecision(None, 0.0, f"one voice only, with no agent cues ({best})", scores, matches)
    if len(ranked) > 1 and margin <= 0:
        return RoleDecision(None, 0.0, "agent and customer cues are balanced: roles unknown", scores, matches)
    confidence = min(
        MAX_DETECTED_CONFIDENCE, 0.5 + 0.5 * (1 - math.exp(-max(margin, 0.0) / CONFIDENCE_SCALE))
    )
    return RoleDecision(
        best, round(confidence, 3), _reason(ranked, matches, first_speaker, opts), scores, matches
    )


def _reason(
    ranked: Sequence[str],
    matches: Mapping[str, tuple[CueMatch, ...]],
    first_speaker: str | None,
    opts: RoleOptions,
) -> str:
    agent = ranked[0]
    parts: list[str] = []
    for label, sign in [(agent, 1.0)] + [(other, -1.0) for other in ranked[1:]]:
        telling = sorted((m for m in matches[label] if m.weight * sign > 0), key=lambda m: -abs(m.weight))
        if telling:
            shows = ", ".join(dict.fromkeys(m.shows for m in telling[:MAX_REASON_CUES]))
            quotes = ", ".join(f"'{m.found}'" for m in telling[:MAX_REASON_CUES])
            parts.append(f"{label} {shows} ({quotes})")
    if first_speaker is not None and opts.first_speaker_weight:
        parts.append(
            f"{first_speaker} speaks first"
            if first_speaker == agent
            else f"although {first_speaker} speaks first"
        )
    return "; ".join(parts) or "no cues"
