"""Rubric checks: one function per item kind, each turning a call into an :class:`ItemResult` with evidence.

All checks read a :class:`CallContext` (words per role, normalised once; the timeline; prosody) and never
modify it. Phrase search is fuzzy and normalised (:mod:`callscore.rubric.textnorm`), restricted to one role's
words and, where the item says so, to a time window. Timing checks read the
:class:`~callscore.timeline.model.Timeline`. Prosody checks report ``not_measured`` with the reason when no
score exists — never a guess.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from callscore.prosody.report import ProsodyReport
from callscore.rubric.acts import act_model
from callscore.rubric.blame import SUBJECT, blame_cues, blame_frames, fault_words
from callscore.rubric.meaning import (
    ADDRESS,
    CLAUSE_CONJUNCTIONS,
    NEGATORS,
    MeaningModel,
    build_model,
    echo_function_words,
    first_person,
    negated_before,
    second_person,
    sentence_stems,
    stem,
    stem_weights,
    utterances,
)
from callscore.rubric.model import FAIL, NOT_APPLICABLE, NOT_MEASURED, PASS, Evidence, ItemResult
from callscore.rubric.schema import BlameGate, LearnedGate, Rubric, RubricItem, SentimentGate, Trigger
from callscore.rubric.textnorm import find_pattern, find_phrase
from callscore.sentiment import (
    CallSentiment,
    MeasureResult,
    TurnSentiment,
    agent_tone_non_negative,
    customer_left_no_worse,
    get_model,
    positive_language,
)
from callscore.sentiment.measures import NEGATIVE_LANGUAGE_CONFIDENCE
from callscore.timeline.model import Timeline
from callscore.transcript.model import AGENT, CUSTOMER, Word
from callscore.transcript.textnorm import NormWords, normalize_words

DEFAULT_ASK_WITHIN = 20.0  # s: a hold request this long before a silence announces it
DEFAULT_THANK_WITHIN = 20.0  # s: thanks for waiting this long after a hold counts
HOLD_EDGE_SLACK = 1.0  # s; Whisper word times and the audio-detected hold end disagree by up to ~0.5 s
DEFAULT_HOLD_MIN = 10.0  # s: an announced silence at least this long is a hold
# words that open a new clause in one unpunctuated sentence: a time frame before them belongs to another
# clause than a promise after them ("the calendar for next week isn't open yet so someone will call you")
CLAUSE_BREAKS = CLAUSE_CONJUNCTIONS | {"so", "and", "then", "jadi", "dan", "terus", "lalu"}
OTHER_REACH = 4  # words: a second-person word this far before an admission makes it the other's
SELF_REACH = 2  # words after the admission where a first person still makes it the speaker's own
_WORD_CHARS = re.compile(r"[^\w']+")  # what is stripped from a word as transcribed ("Bapak," -> "bapak")
TRIGGER_LEAD = 2.0  # s: a response may start this much before the trigger ends being matched (ASR timing)


class ProsodyFeature(Protocol):
    """What the prosody stage reports per feature: a 0-100 score (None when not measured) and a reason."""

    score: float | None
    reason: str


@dataclass(frozen=True)
class Hit:
    """A phrase or pattern heard in the call.

    Attributes:
        phrase: Rubric phrase or pattern that matched.
        similarity: 0..1.
        start: Seconds.
        end: Seconds.
        quote: The words as transcribed.
        speaker: Speaker label.
        role: Role of the speaker.
        learned: What a learned gate said of it ("learned problem 0.91"), or "".
    """

    phrase: str
    similarity: float
    start: float
    end: float
    quote: str
    speaker: str | None
    role: str
    learned: str = ""

    def evidence(self, note: str = "") -> Evidence:
        """Evidence pointing at this hit."""
        return Evidence(
            quote=self.quote,
            start=self.start,
            end=self.end,
            speaker=self.speaker,
            role=self.role,
            similarity=self.similarity,
            matched=self.phrase,
            note="; ".join(n for n in (note, self.learned) if n),
        )


@dataclass(frozen=True)
class RoleWords:
    """All words of one role in time order, normalised once.

    Attributes:
        role: "agent" or "customer".
        words: The words.
        labels: Speaker label of each word.
        norm: Normalised tokens pointing back into ``words``.
        marked: The same with a "?" token after each question (what patterns are matched on).
        breaks: Indices of the words that open a new transcript segment (Whisper's unit of speech, or a
            scripted turn): a sentence ends there when even a short pause (``SEGMENT_PAUSE``) comes first.
    """

    role: str
    words: tuple[Word, ...]
    labels: tuple[str, ...]
    norm: NormWords
    marked: NormWords
    breaks: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CallContext:
    """Everything the checks read about one call.

    Attributes:
        rubric: The rubric being applied.
        roles: Role -> its words.
        timeline: Turns, overlaps and silences.
        prosody: Object with ``.calm`` / ``.confidence`` (each ``.score``, ``.reason``), or None.
        start: Time of the first word (s); "first N s" windows count from here.
        end: Time of the last word (s); "last N s" windows count back from here.
        sentiment: Per-turn and call-level sentiment of the timeline's turns, or None when not measured.
        cache: Memo of phrase searches (filled lazily; not part of the result).
    """

    rubric: Rubric
    roles: Mapping[str, RoleWords]
    timeline: Timeline
    prosody: ProsodyReport | None = None
    start: float = 0.0
    end: float = 0.0
    sentiment: CallSentiment | None = None
    cache: dict[tuple[str, str, float], tuple[Hit, ...]] = field(default_factory=dict, compare=False)
    sentences: dict[str, tuple[Sentence, ...]] = field(default_factory=dict, compare=False)
    vetoes: dict[tuple[str, str, float], list[tuple[float, float]]] = field(
        default_factory=dict, compare=False
    )
    turn_words: dict[str, tuple[tuple[float, frozenset[str]], ...]] = field(
        default_factory=dict, compare=False
    )
    learned_p: dict[tuple[str, str, int, int], float] = field(default_factory=dict, compare=False)
    gated: dict[str, tuple[tuple[Hit, ...], tuple[Hit, ...]]] = field(default_factory=dict, compare=False)
    flat: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = field(default_factory=dict, compare=False)

    def search(
        self,
        role: str,
        *,
        phrases: Sequence[str] = (),
        patterns: Sequence[str] = (),
        min_similarity: float | None = None,
        examples: Sequence[str] = (),
        near_misses: Sequence[str] = (),
        min_meaning: float | None = None,
        t0: float = -math.inf,
        t1: float = math.inf,
    ) -> list[Hit]:
        """Hits of any phrase/pattern said by ``role`` starting in [t0, t1], in time order.

        With ``examples``, every sentence whose meaning matches one (see :mod:`callscore.rubric.meaning`)
        is a hit too; with ``near_misses``, a phrase hit in a sentence a near miss matches is dropped.
        """
        sim = self.rubric.similarity if min_similarity is None else min_similarity
        out: list[Hit] = []
        for p, is_pattern in [(p, False) for p in phrases] + [(p, True) for p in patterns]:
            key = (role, ("re:" if is_pattern else "") + p, sim)
            if key not in self.cache:
                self.cache[key] = self._find(role, p, is_pattern, sim)
            out.extend(h for h in self.cache[key] if t0 <= h.start <= t1)
        if examples or near_misses:
            model = meaning_model(self.rubric, tuple(examples), tuple(near_misses), min_meaning)
            key = (role, "meaning:" + "|".join(examples) + "#" + "|".join(near_misses), model.min_score)
            if key not in self.cache:
                self.cache[key] = self._meaning(role, model)
            if model.near_misses:
                vetoed = self.vetoed(
                    role, examples=examples, near_misses=near_misses, min_meaning=min_meaning
                )
                out = [h for h in out if not any(a <= h.start <= b for a, b in vetoed)]
            out.extend(h for h in self.cache[key] if t0 <= h.start <= t1)
        out.sort(key=lambda h: (h.start, -h.similarity))
        # one phrase per stretch of speech: drop hits overlapping an earlier better one
        kept: list[Hit] = []
        for h in sorted(out, key=lambda h: -h.similarity):
            if all(h.end <= k.start or h.start >= k.end for k in kept):
                kept.append(h)
        return sorted(kept, key=lambda h: h.start)

    def _find(self, role: str, phrase: str, is_pattern: bool, sim: float) -> tuple[Hit, ...]:
        rw = self.roles.get(role)
        if rw is None or not rw.words:
            return ()
        if is_pattern:
            matches = find_pattern(phrase, rw.marked)
        else:
            matches = find_phrase(phrase, rw.norm, language=self.rubric.language, min_similarity=sim)
        # a negator just before a hit negates it ("bukan saya yang urus" is no "saya yang urus"), unless the
        # phrase or pattern speaks of negation itself; a pattern's words are its runs of letters
        words = re.findall(r"[a-z']+", phrase.lower()) if is_pattern else phrase.lower().split()
        if not any(stem(t, language=self.rubric.language) in NEGATORS for t in words):
            matches = [m for m in matches if not self._negated_before(rw, m.first)]
        return tuple(
            Hit(
                phrase=phrase,
                similarity=m.similarity,
                start=rw.words[m.first].start,
                end=rw.words[m.last].end,
                quote=" ".join(w.text.strip() for w in rw.words[m.first : m.last + 1]),
                speaker=rw.labels[m.first],
                role=role,
            )
            for m in matches
        )

    def _negated_before(self, rw: RoleWords, first_word: int) -> bool:
        """A negator just before the word ``first_word`` in the same sentence: "nggak ada gangguan" does not
        say "ada gangguan", "belum bisa kami bantu" does not offer help (meaning's rule, for phrases)."""
        for s in self.role_sentences(rw.role):
            if s.words[0] <= first_word <= s.words[-1]:
                k = s.words.index(first_word) if first_word in s.words else -1
                # "tidak, Pak": a form of address is never negated
                return k > 0 and s.stems[k] != ADDRESS and negated_before(s.stems, k)
        return False

    def said_of_other(self, hit: Hit) -> bool:
        """``hit`` says it of the one spoken to: a second-person word (:func:`~callscore.rubric.meaning.
        second_person`, as transcribed) among the ``OTHER_REACH`` words before it in its sentence, and no
        first person from there to ``SELF_REACH`` words after it. "kalau Bapak tidak tahu nomornya, bisa
        dilihat di kartu" is no admission of the agent's; "Bapak, saya tidak tahu" and "Pak, tidak tahu
        juga ya" are."""
        rw = self.roles.get(hit.role)
        if rw is None:
            return False
        lang = self.rubric.language
        you, me = second_person(lang), first_person(lang)
        for s in self.role_sentences(hit.role):
            inside = [k for k, w in enumerate(s.words) if hit.start <= rw.words[w].start <= hit.end]
            if not inside:
                continue
            before = list(dict.fromkeys(s.words[: inside[0]]))[-OTHER_REACH:]
            said = [w for w in before if _WORD_CHARS.sub("", rw.words[w].text.lower()) in you]
            if not said:
                return False
            k0 = s.words.index(said[0])
            return not any(x in me for x in s.stems[k0 : inside[-1] + 1 + SELF_REACH])
        return False

    def names_speaker(self, hit: Hit, *, after: float) -> bool:
        """``hit`` names its speaker: a first-person word (:func:`~callscore.rubric.meaning.first_person`)
        among its words or the word before it, counted when that word or the next starts at or after
        ``after`` (s). An allowed continuation must be the speaker's own promise ("saya cek dulu", "let me
        check"), not the admission's "saya" read again ("saya tidak tahu, coba cek di aplikasi")."""
        rw = self.roles.get(hit.role)
        if rw is None:
            return False
        stems, words = self._flat(hit.role)
        inside = [k for k, w in enumerate(words) if hit.start <= rw.words[w].start <= hit.end]
        if not inside:
            return False
        me = first_person(self.rubric.language)
        for k in range(max(inside[0] - 1, 0), inside[-1] + 1):
            if stems[k] not in me:
                continue
            nxt = rw.words[words[k + 1]].start if k + 1 < len(words) else -math.inf
            if rw.words[words[k]].start >= after or nxt >= after:
                return True
        return False

    def _flat(self, role: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """The role's sentence stems end to end, and the word index of each (cached)."""
        if role not in self.flat:
            sents = self.role_sentences(role)
            self.flat[role] = (
                tuple(x for s in sents for x in s.stems),
                tuple(w for s in sents for w in s.words),
            )
        return self.flat[role]

    def sentence_start(self, role: str, t: float) -> float:
        """Start (s) of the clause of ``role`` that holds the word starting at ``t``: its sentence, from
        after the last clause conjunction before that word ("..., tapi struknya bisa difoto ... nanti kami
        proses" starts at "struknya"); ``t`` when no sentence holds it."""
        rw = self.roles.get(role)
        if rw is None:
            return t
        for s in self.role_sentences(role):
            if not rw.words[s.words[0]].start <= t <= rw.words[s.words[-1]].end:
                continue
            first = 0
            for k, w in enumerate(s.words):
                if rw.words[w].start >= t:
                    break
                if s.stems[k] in CLAUSE_BREAKS and k + 1 < len(s.words):
                    first = k + 1
            return rw.words[s.words[first]].start
        return t

    def role_sentences(self, role: str) -> tuple[Sentence, ...]:
        """The role's words cut into sentences (end punctuation, a pause, or another speaker)."""
        if role not in self.sentences:
            rw = self.roles.get(role)
            self.sentences[role] = () if rw is None else split_sentences(rw, language=self.rubric.language)
        return self.sentences[role]

    def _meaning(self, role: str, model: MeaningModel) -> tuple[Hit, ...]:
        rw = self.roles[role]
        out = []
        for s in self.role_sentences(role):
            m = model.best(s.stems)
            if m is None:
                continue
            out.append(
                _sentence_hit(
                    rw, s, phrase=f"example: {m.example}", similarity=m.score, first=m.first, last=m.last
                )
            )
        return tuple(out)

    def vetoed(
        self,
        role: str,
        *,
        examples: Sequence[str],
        near_misses: Sequence[str],
        min_meaning: float | None = None,
    ) -> list[tuple[float, float]]:
        """Time spans of the sentences a near miss matches better than any example (cached)."""
        model = meaning_model(self.rubric, tuple(examples), tuple(near_misses), min_meaning)
        key = (role, "veto:meaning:" + "|".join(examples) + "#" + "|".join(near_misses), model.min_score)
        if key not in self.vetoes:
            self.vetoes[key] = self._vetoed(role, model) if model.near_misses else []
        return self.vetoes[key]

    def _vetoed(self, role: str, model: MeaningModel) -> list[tuple[float, float]]:
        rw = self.roles[role]
        near = MeaningModel(model.near_misses, (), model.weights, model.min_score, model.function_words)
        out = []
        for s in self.role_sentences(role):
            miss = near.best(s.stems)
            if miss is None:
                continue
            hit = MeaningModel(model.examples, (), model.weights, model.min_score, model.function_words).best(
                s.stems
            )
            if hit is None or hit.score <= miss.score:
                out.append((rw.words[s.words[0]].start, rw.words[s.words[-1]].end))
        return out

    def echoes(
        self,
        role: str,
        *,
        min_shared: int,
        cues: Sequence[str] = (),
        lookback: int = 2,
        t0: float = -math.inf,
        t1: float = math.inf,
    ) -> list[Hit]:
        """Sentences of ``role`` starting in [t0, t1] that say back at least ``min_shared`` content words of
        the other role's last ``lookback`` turns before them, with one of ``cues`` ("jadi", "berarti", "so")
        among their words when cues are given.

        A restatement is the customer's problem in the customer's own words, in whatever frame ("mohon maaf
        Bu, jadi air di blok F mati sudah tiga hari ya"); a list of frames misses most of them, the echo
        does not. A fact-finding question or a routine answer rarely repeats four of the customer's words.
        """
        lang = self.rubric.language
        cue_stems = {stem(c, language=lang) for c in cues}
        other = CUSTOMER if role == AGENT else AGENT
        if other not in self.turn_words:
            self.turn_words[other] = tuple(
                (t.end, _content_stems(t.text, language=lang)) for t in self.timeline.turns_of(other)
            )
        turns = self.turn_words[other]
        rw = self.roles.get(role)
        if rw is None or not turns:
            return []
        out = []
        for s in self.role_sentences(role):
            start = rw.words[s.words[0]].start
            if not t0 <= start <= t1 or (cue_stems and not cue_stems & set(s.stems)):
                continue
            before = [words for end, words in turns if end <= start + TRIGGER_LEAD][-lookback:]
            heard = frozenset().union(*before) - cue_stems  # content stems only (_content_stems)
            said = [x for x in dict.fromkeys(s.stems) if x in heard]
            if len(said) < min_shared:
                continue
            out.append(
                _sentence_hit(
                    rw,
                    s,
                    phrase="echo: said back " + ", ".join(said),
                    similarity=min(1.0, len(said) / (2 * min_shared)),
                )
            )
        return out

    def trigger_hits(self, trigger: Trigger) -> list[Hit]:
        """Where the trigger was said: its phrases and examples, and with ``sentiment`` every other sentence
        of the role the sentiment model rates that negative (a near miss still vetoes it); with ``learned``,
        only the hits the act model reads as the trigger (:meth:`learned_split`)."""
        return self._trigger_hits(trigger) if trigger.learned is None else list(self._gated(trigger)[0])

    def trigger_vetoed(self, trigger: Trigger) -> list[Hit]:
        """The trigger's matches its learned gate vetoed (empty without one)."""
        return [] if trigger.learned is None else list(self._gated(trigger)[1])

    def _gated(self, trigger: Trigger) -> tuple[tuple[Hit, ...], tuple[Hit, ...]]:
        if trigger.name not in self.gated and trigger.learned is not None:
            kept, vetoed = self.learned_split(self._trigger_hits(trigger), trigger.learned)
            self.gated[trigger.name] = (tuple(kept), tuple(vetoed))
        return self.gated[trigger.name]

    def _trigger_hits(self, trigger: Trigger) -> list[Hit]:
        hits = self.search(
            trigger.role,
            phrases=trigger.phrases,
            patterns=trigger.patterns,
            examples=trigger.examples,
            near_misses=trigger.near_misses,
        )
        if trigger.sentiment is None:
            return hits
        vetoed = self.vetoed(trigger.role, examples=trigger.examples, near_misses=trigger.near_misses)
        extra = [
            h
            for h in self.negative_sentences(trigger.role, gate=trigger.sentiment)
            if not any(a <= h.start <= b for a, b in vetoed)
            and all(h.end <= k.start or h.start >= k.end for k in hits)
        ]
        return sorted(hits + extra, key=lambda h: h.start) if extra else hits

    def learned_split(self, hits: Sequence[Hit], gate: LearnedGate) -> tuple[list[Hit], list[Hit]]:
        """``hits`` kept and vetoed by a learned act model: each is read with its sentence and
        ``gate.context`` sentences of its role on each side; below ``gate.p`` it is vetoed, unless those hold
        fewer than ``gate.min_words`` words. Kept hits carry the probability, vetoed ones also the words
        that weighed most (``ActModel.weighed``)."""
        kept, vetoed = [], []
        for h in hits:
            text, p = self._learned(h, gate)
            n = sum(w != "." for w in text.split())
            if p >= gate.p or n < gate.min_words:
                few = "" if p >= gate.p else f" on {n} words, too few to veto"
                kept.append(replace(h, learned=f"learned {gate.model} {p:.2f}{few}"))
                continue
            weighed = act_model(self.rubric.language).weighed(gate.model, text)
            why = ", ".join(f"{w} {d:+.1f}" for w, d in weighed)
            note = f"vetoed: learned {gate.model} {p:.2f} < {gate.p:g}" + (
                f" (weighed: {why})" if why else ""
            )
            vetoed.append(replace(h, learned=note))
        return kept, vetoed

    def _learned(self, hit: Hit, gate: LearnedGate) -> tuple[str, float]:
        sents = self.role_sentences(hit.role)
        rw = self.roles[hit.role]
        i = 0
        for k, s in enumerate(sents):
            if rw.words[s.words[0]].start <= hit.start + 1e-6:
                i = k
        lo, hi = max(0, i - gate.context), i + gate.context + 1
        text = " . ".join(s.text for s in sents[lo:hi])
        key = (gate.model, hit.role, lo, hi)
        if key not in self.learned_p:
            self.learned_p[key] = act_model(self.rubric.language).probability(gate.model, text)
        return text, self.learned_p[key]

    def negative_sentences(self, role: str, *, gate: SentimentGate) -> tuple[Hit, ...]:
        """Sentences of ``role`` with at least ``gate.min_words`` content words whose P(negative) from the
        bundled sentiment model is at least ``gate.negative``; the hit names the probability."""
        key = (role, f"sentiment:{gate.min_words}:{gate.negated}", gate.negative)
        if key not in self.cache:
            rw = self.roles.get(role)
            self.cache[key] = () if rw is None else self._negative(rw, gate)
        return self.cache[key]

    def _negative(self, rw: RoleWords, gate: SentimentGate) -> tuple[Hit, ...]:
        out = []
        for s in self.role_sentences(rw.role):
            if sum(_is_content(x, language=self.rubric.language) for x in s.stems) < gate.min_words:
                continue
            # a negator closing the sentence is a question tag ("ada cara lain nggak"), not a negation
            if gate.negated and not NEGATORS.intersection(s.stems[:-1]):
                continue
            p = negative_probability(s.text, language=self.rubric.language)
            if p < gate.negative:
                continue
            out.append(
                _sentence_hit(rw, s, phrase=f"sentiment: negative {p:.2f} >= {gate.negative:g}", similarity=p)
            )
        return tuple(out)

    def blame_sentences(self, role: str, *, gate: BlameGate) -> tuple[Hit, ...]:
        """Sentences of ``role`` that make the customer the actor or owner of a fault
        (:mod:`callscore.rubric.blame`), with a second sign of fault where the frame needs one; the hit
        names the frame and every sign, so a reviewer sees why."""
        key = (role, f"blame:{gate.subject_negative}", gate.negative)
        if key not in self.cache:
            rw = self.roles.get(role)
            self.cache[key] = () if rw is None else self._blame(rw, gate)
        return self.cache[key]

    def _blame(self, rw: RoleWords, gate: BlameGate) -> tuple[Hit, ...]:
        lang = self.rubric.language
        cues = blame_cues(lang)
        out = []
        for s in self.role_sentences(rw.role):
            said = [rw.words[i].text.strip(" ,.?!") for i in s.words]
            frames = blame_frames(stems=s.stems, words=said, cues=cues)
            if not frames:
                continue
            why: list[str] = []
            p: float | None = None
            for f in frames:
                signs = (
                    [] if f.standalone else list(fault_words(stems=s.stems, words=said, frame=f, cues=cues))
                )
                if f.kind == SUBJECT:
                    signs = [x for x in signs if x.startswith("obligation")]
                bar = gate.subject_negative if f.kind == SUBJECT else gate.negative
                if not f.standalone and not signs:
                    p = negative_probability(s.text, language=lang) if p is None else p
                    if p >= bar:
                        signs.append(f"sentiment negative {p:.2f} >= {bar:g}")
                if f.standalone or signs:
                    frame = " ".join(said[f.first : f.last + 1])
                    why = [f"{f.note} ('{frame}')", *signs]
                    break
            if not why:
                continue
            out.append(_sentence_hit(rw, s, phrase="blame: " + "; ".join(why), similarity=1.0))
        return tuple(out)


def _sentence_hit(
    rw: RoleWords, s: Sentence, *, phrase: str, similarity: float, first: int = 0, last: int = -1
) -> Hit:
    """A hit quoting sentence ``s`` of ``rw``, timed from its ``first`` to its ``last`` stem's word (the whole
    sentence by default): the one shape of every sentence-level hit (meaning, echo, sentiment, blame)."""
    w0, w1 = s.words[first], s.words[last]
    return Hit(
        phrase=phrase,
        similarity=similarity,
        start=rw.words[w0].start,
        end=rw.words[w1].end,
        quote=s.text,
        speaker=rw.labels[w0],
        role=rw.role,
    )


@functools.lru_cache(maxsize=65536)
def negative_probability(text: str, *, language: str) -> float:
    """P(negative) of one sentence from the bundled sentiment model of ``language`` (loaded once, cached
    per sentence: a rubric asks of the same sentence once per conditional item)."""
    return get_model(language=language).predict([text])[0].negative


SENTENCE_PAUSE = 1.0  # s: a pause this long between two words of one role ends a sentence
# s: at a transcript segment start (a new Whisper segment or scripted turn) a shorter pause does; without
# any pause a segment boundary is Whisper cutting a running sentence, which stays one
SEGMENT_PAUSE = 0.3
_SENTENCE_END = (".", "?", "!")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a role, as stems for meaning matching.

    Attributes:
        stems: Stems of its normalised tokens.
        words: For each stem, the index of its word in the role's words.
        text: The words as transcribed.
    """

    stems: tuple[str, ...]
    words: tuple[int, ...]
    text: str


def split_sentences(rw: RoleWords, *, language: str) -> tuple[Sentence, ...]:
    """Cut a role's normalised tokens into sentences at end punctuation, pauses, segment starts and speaker
    changes (two turns of one speaker with a short pause between are two sentences, not one)."""
    groups: list[list[int]] = [[]]
    last_word = -1
    for k, (i, _) in enumerate(rw.norm.origin):
        if groups[-1] and i != last_word and last_word >= 0:
            prev, cur = rw.words[last_word], rw.words[i]
            if (
                prev.text.rstrip().endswith(_SENTENCE_END)
                or cur.start - prev.end >= SENTENCE_PAUSE
                or rw.labels[i] != rw.labels[last_word]
                or (i in rw.breaks and cur.start - prev.end >= SEGMENT_PAUSE)
            ):
                groups.append([])
        groups[-1].append(k)
        last_word = i
    out = []
    for g in groups:
        if not g:
            continue
        toks = [rw.norm.tokens[k] for k in g]
        idx = [rw.norm.origin[k][0] for k in g]
        text = " ".join(w.text.strip() for w in rw.words[idx[0] : idx[-1] + 1])
        out.append(Sentence(sentence_stems(toks, language=language), tuple(idx), text))
    return tuple(out)


def _is_content(token: str, *, language: str) -> bool:
    """A word that says something of the call: not a function word, an address ("@addr") or a stray
    letter; digits count ("tiga hari", "4,2 juta" are what a restatement repeats)."""
    return (
        token not in echo_function_words(language)
        and not token.startswith("@")
        and (len(token) >= 3 or token.isdigit())
    )


def _content_stems(text: str, *, language: str) -> frozenset[str]:
    toks = normalize_words([text], language=language).tokens
    return frozenset(x for x in sentence_stems(toks, language=language) if _is_content(x, language=language))


_WEIGHTS: dict[int, tuple[Rubric, dict[str, float]]] = {}
_MODELS: dict[tuple[int, tuple[str, ...], tuple[str, ...], float | None], MeaningModel] = {}


def meaning_model(
    rubric: Rubric, examples: tuple[str, ...], near_misses: tuple[str, ...], min_meaning: float | None
) -> MeaningModel:
    """The meaning model of one item or trigger, built once per loaded rubric and cached."""
    key = (id(rubric), examples, near_misses, min_meaning)
    if key not in _MODELS or _WEIGHTS.get(id(rubric), (None,))[0] is not rubric:
        if _WEIGHTS.get(id(rubric), (None,))[0] is not rubric:
            _WEIGHTS[id(rubric)] = (rubric, stem_weights(_all_utterances(rubric)))
        _MODELS[key] = build_model(
            examples,
            near_misses,
            language=rubric.language,
            weights=_WEIGHTS[id(rubric)][1],
            min_score=min_meaning,
        )
    return _MODELS[key]


def _all_utterances(rubric: Rubric) -> list[tuple]:
    groups = []
    for it in rubric.items:
        for k in ("examples", "near_misses"):
            groups.append(utterances(it.params.get(k, ()), language=rubric.language))
    for t in rubric.triggers.values():
        groups.append(utterances(t.examples, language=rubric.language))
        groups.append(utterances(t.near_misses, language=rubric.language))
    return groups


def role_words(
    words: Sequence[Word],
    labels: Sequence[str],
    *,
    role: str,
    language: str,
    breaks: Iterable[int] = (),
) -> RoleWords:
    """Build the normalised word sequence of one role (``labels`` gives each word's speaker label;
    ``breaks`` the indices of words that open a transcript segment)."""
    texts = [w.text for w in words]
    return RoleWords(
        role,
        tuple(words),
        tuple(labels),
        normalize_words(texts, language=language),
        normalize_words(texts, language=language, mark_questions=True),
        frozenset(breaks),
    )


def _result(item: RubricItem, status: str, reason: str, evidence: Sequence[Evidence] = (), value=None):
    return ItemResult(
        id=item.id,
        title=item.title,
        description=item.description,
        kind=item.kind,
        weight=item.weight,
        critical=item.critical,
        status=status,
        reason=reason,
        evidence=tuple(sorted(evidence, key=lambda e: e.start)),
        value=None if value is None else float(value),
    )


def _phrases(params: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "phrases": params.get("phrases", ()),
        "patterns": params.get("patterns", ()),
        "min_similarity": params.get("min_similarity"),
        "examples": params.get("examples", ()),
        "near_misses": params.get("near_misses", ()),
        "min_meaning": params.get("min_meaning"),
    }


def _example(params: Mapping[str, Any]) -> str:
    ps = params.get("phrases") or params.get("examples") or params.get("patterns") or ("?",)
    return f"'{ps[0]}'"


def check_phrase_present(*, item: RubricItem, call: CallContext) -> ItemResult:
    """Pass when ``role`` says one of the phrases (at least ``min_count`` times) inside the window.

    Window: ``first: N`` (s from the first word), ``last: N`` (s before the last word), or ``after: TRIGGER``
    (from the first time the trigger is said, optionally ``within: N`` s); not applicable when the trigger is
    never said.
    """
    p = item.params
    role, need = p["role"], p.get("min_count", 1)
    window = p.get("window", {})
    t0, t1, where = -math.inf, math.inf, ""
    evidence: list[Evidence] = []
    if "first" in window:
        t1, where = call.start + window["first"], f" in the first {window['first']:g} s"
    elif "last" in window:
        t0, where = call.end - window["last"], f" in the last {window['last']:g} s"
    elif "after" in window:
        trig = call.trigger_hits(call.rubric.triggers[window["after"]])
        if not trig:
            return _not_triggered(item, call, (window["after"],))
        t0 = trig[0].start
        t1 = trig[0].end + window.get("within", math.inf)
        where = f" after the {window['after']}"
        evidence.append(trig[0].evidence(f"trigger: {window['after']}"))
    hits = call.search(role, t0=t0, t1=t1, **_phrases(p))
    if "echo" in p:  # a restatement in the other role's own words, in whatever frame
        echoed = call.echoes(role, t0=t0, t1=t1, **p["echo"])
        new = [e for e in echoed if all(e.start != h.start for h in hits)]
        hits = sorted(hits + new, key=lambda h: h.start)
    evidence += [h.evidence() for h in hits]
    if len(hits) >= need:
        return _result(item, PASS, f"{role} said '{hits[0].quote}'{where}", evidence, len(hits))
    return _result(item, FAIL, f"{role} never said anything like {_example(p)}{where}", evidence, len(hits))


def _vetoed_note(vetoed: Sequence[Hit]) -> str:
    """ "; 'QUOTE' at T s vetoed: learned ..." for the first vetoed hit, "" for none."""
    if not vetoed:
        return ""
    more = f" (and {len(vetoed) - 1} more)" if len(vetoed) > 1 else ""
    return f"; '{vetoed[0].quote}' at {vetoed[0].start:.1f} s {vetoed[0].learned}{more}"


def _not_triggered(item: RubricItem, call: CallContext, names: Sequence[str]) -> ItemResult:
    """Not applicable: none of the triggers said; the matches a learned gate vetoed are the evidence."""
    vetoed = sorted(
        (h for n in names for h in call.trigger_vetoed(call.rubric.triggers[n])), key=lambda h: h.start
    )
    reason = f"no {' or '.join(names)} in the call{_vetoed_note(vetoed)}"
    return _result(item, NOT_APPLICABLE, reason, [h.evidence() for h in vetoed])


def check_phrase_absent(*, item: RubricItem, call: CallContext) -> ItemResult:
    """Fail when ``role`` says a forbidden phrase, unless an allowed continuation follows within N s."""
    p = item.params
    role = p["role"]
    cont = p.get("allowed_continuations")
    evidence, bad, others = [], [], 0
    for h in call.search(role, **_phrases(p)):
        if p.get("said_of_self") and call.said_of_other(h):
            others += 1
            evidence.append(h.evidence("not counted: said of the one spoken to, not of the speaker"))
            continue
        follow = []
        if cont:
            follow = call.search(
                role,
                phrases=cont.get("phrases", ()),
                patterns=cont.get("patterns", ()),
                examples=cont.get("examples", ()),
                near_misses=cont.get("near_misses", ()),
                t0=h.start,
                t1=h.end + cont["within"],
            )
            follow = [f for f in follow if f.start >= h.start and not (f.start == h.start and f.end == h.end)]
            if cont.get("first_person"):  # the speaker's own promise, after the admission
                follow = [f for f in follow if f.end > h.end and call.names_speaker(f, after=h.end)]
        if follow:
            evidence.append(h.evidence(f"allowed: followed by '{follow[0].quote}'"))
        else:
            bad.append(h)
            evidence.append(h.evidence("not followed by an offer to find out" if cont else ""))
    if bad:
        return _result(
            item, FAIL, f"{role} said '{bad[0].quote}' at {bad[0].start:.1f} s", evidence, len(bad)
        )
    if len(evidence) > others:
        n = len(evidence) - others
        return _result(item, PASS, f"said only with an allowed follow-up ({n}x)", evidence, 0)
    if others:
        return _result(item, PASS, f"said only of the one spoken to ({others}x)", evidence, 0)
    return _result(item, PASS, f"{role} never said anything like {_example(p)}", evidence, 0)


def check_conditional(*, item: RubricItem, call: CallContext) -> ItemResult:
    """Required only when a trigger is said: pass when ``role`` responds with a phrase after a trigger.

    The response must start no earlier than ``TRIGGER_LEAD`` s before the trigger ends and within ``within``
    s after it (default: any time later in the call). Not applicable when no trigger is said.
    """
    p = item.params
    names = p["when"]
    triggers = sorted(
        ((h, n) for n in names for h in call.trigger_hits(call.rubric.triggers[n])), key=lambda x: x[0].start
    )
    if not triggers:
        return _not_triggered(item, call, names)
    within = p.get("within", math.inf)
    for trig, name in triggers:
        # the same speaker may say the answer just before the trigger's words, in one breath ("sepuluh
        # menit lagi saya telepon balik": the time frame, then the promise), anywhere earlier in the sentence
        # that holds the promise ("by friday at the latest we'll send you ..."); another speaker answers after
        earliest = trig.start
        if trig.role == p["role"]:
            earliest = min(trig.start - TRIGGER_LEAD, call.sentence_start(trig.role, trig.start))
        t0 = min(trig.end - TRIGGER_LEAD, earliest)
        hits = call.search(p["role"], t0=t0, t1=trig.end + within, **_phrases(p))
        hits = [h for h in hits if h.start >= earliest]
        if hits:
            ev = [trig.evidence(f"trigger: {name}"), hits[0].evidence()]
            return _result(item, PASS, f"after the {name}, {p['role']} said '{hits[0].quote}'", ev, 1)
    trig, name = triggers[0]
    limit = "" if math.isinf(within) else f" within {within:g} s"
    return _result(
        item,
        FAIL,
        f"{name} at {trig.start:.1f} s but {p['role']} never said anything like {_example(p)}{limit}",
        [trig.evidence(f"trigger: {name}")],
        0,
    )


def check_tone(*, item: RubricItem, call: CallContext) -> ItemResult:
    """Language tone of ``role``.

    ``polarity: negative``: fail when any phrase is said (blaming, rude), or with ``blame`` any sentence that
    makes the customer the one at fault (:meth:`CallContext.blame_sentences`; a near miss still vetoes it).
    ``polarity: positive``: pass when at least ``min_count`` positive phrases are said and they outnumber the
    ``opposite`` (negative phrasing).
    """
    p = item.params
    role = p["role"]
    hits = call.search(role, **_phrases(p))
    if p["polarity"] == "negative":
        if "blame" in p:
            vetoed = call.vetoed(
                role,
                examples=p.get("examples", ()),
                near_misses=p.get("near_misses", ()),
                min_meaning=p.get("min_meaning"),
            )
            extra = [
                h
                for h in call.blame_sentences(role, gate=p["blame"])
                if not any(a <= h.start <= b for a, b in vetoed)
                and all(h.end <= k.start or h.start >= k.end for k in hits)
            ]
            hits = sorted(hits + extra, key=lambda h: h.start)
        ev = [h.evidence() for h in hits]
        if hits:
            # a blame hit says which frame and signs fired; a phrase hit is its own reason
            why = (
                f": {hits[0].phrase.removeprefix('blame: ')}" if hits[0].phrase.startswith("blame: ") else ""
            )
            return _result(
                item, FAIL, f"{role} said '{hits[0].quote}' at {hits[0].start:.1f} s{why}", ev, len(hits)
            )
        return _result(item, PASS, f"{role} said none of the {len(p['phrases'])} listed phrases", ev, 0)
    neg = call.search(
        role,
        phrases=p.get("opposite", ()),
        min_similarity=p.get("min_similarity"),
        examples=p.get("opposite_examples", ()),
    )
    ev = [h.evidence("positive") for h in hits] + [h.evidence("negative phrasing") for h in neg]
    need = p.get("min_count", 1)
    value = len(hits) - len(neg)
    # min_count 0: a call without negative phrasing passes, there is nothing to outnumber
    if len(hits) >= need and (len(hits) > len(neg) or (need == 0 and not neg)):
        return _result(item, PASS, f"{len(hits)} positive vs {len(neg)} negative phrasings", ev, value)
    return _result(item, FAIL, f"only {len(hits)} positive vs {len(neg)} negative phrasings", ev, value)


def check_prosody(*, item: RubricItem, call: CallContext) -> ItemResult:
    """Threshold on a prosody score (calm, confidence: 0-100); ``not_measured`` with the reason if absent."""
    feature = item.params["feature"]
    if call.prosody is None:
        return _result(item, NOT_MEASURED, "prosody not measured (no audio analysis for this call)")
    f = getattr(call.prosody, feature, None)
    if f is None or getattr(f, "score", None) is None:
        why = getattr(f, "reason", "") if f is not None else f"no {feature} result"
        return _result(item, NOT_MEASURED, f"{feature} not measured: {why or 'no reason given'}")
    score, bar = float(f.score), item.params["min_score"]
    why = f" ({f.reason})" if getattr(f, "reason", "") else ""
    status = PASS if score >= bar else FAIL
    return _result(
        item, status, f"{feature} {score:.0f} {'>=' if status == PASS else '<'} {bar:g}{why}", (), score
    )


def check_timing(*, item: RubricItem, call: CallContext) -> ItemResult:
    """Timing from the timeline: interruptions, dead air, hold etiquette, talk ratio, monologues."""
    return _MEASURES[item.params["measure"]](item, call)


def _interruptions(item: RubricItem, call: CallContext) -> ItemResult:
    p = item.params
    role = p.get("role", AGENT)
    kinds = ("interruption",) if p.get("allow_backchannel", True) else ("interruption", "backchannel")
    min_overlap = p.get("min_overlap", call.timeline.options.min_overlap)
    found = [
        o
        for o in call.timeline.overlaps
        if o.kind in kinds and o.by_role == role and o.duration >= min_overlap
    ]
    ev = [
        Evidence(
            f"{role} talked over {o.held_by_role or o.held_by} for {o.duration:.1f} s: '{o.text}'",
            o.start,
            o.end,
            o.by,
            o.by_role,
        )
        for o in found
    ]
    limit = p.get("max_count", 0)
    if len(found) > limit:
        return _result(
            item, FAIL, f"{len(found)} interruption(s) by the {role} (allowed {limit})", ev, len(found)
        )
    return _result(item, PASS, f"{len(found)} interruption(s) by the {role}", ev, len(found))


def _announced(call: CallContext, item: RubricItem, start: float) -> Hit | None:
    p = item.params
    asks = call.search(
        AGENT,
        phrases=p.get("ask_phrases", ()),
        t0=start - p.get("ask_within", DEFAULT_ASK_WITHIN),
        t1=start,
    )
    return asks[-1] if asks else None


def _dead_air(item: RubricItem, call: CallContext) -> ItemResult:
    p = item.params
    gaps = call.timeline.dead_air(p["min_duration"])
    ev, bad = [], []
    for g in gaps:
        ask = (
            _announced(call, item, g.start)
            if p.get("excuse_announced", True) and p.get("ask_phrases")
            else None
        )
        note = f"announced hold: '{ask.quote}'" if ask else ""
        ev.append(Evidence(f"{g.duration:.1f} s of silence", g.start, g.end, g.before, None, note=note))
        if ask is None:
            bad.append(g)
    limit = p.get("max_count", 0)
    total = sum(g.duration for g in bad)
    if len(bad) > limit:
        return _result(
            item, FAIL, f"{len(bad)} unannounced silence(s) over {p['min_duration']:g} s", ev, total
        )
    return _result(item, PASS, f"no unannounced silence over {p['min_duration']:g} s", ev, total)


def _hold(item: RubricItem, call: CallContext) -> ItemResult:
    p = item.params
    min_hold = p.get("min_duration", DEFAULT_HOLD_MIN)
    holds = []
    for s in call.timeline.silences:
        ask = _announced(call, item, s.start)
        if s.kind == "hold" or (ask is not None and s.duration >= min_hold):
            holds.append((s, ask))
    if not holds:
        return _result(item, NOT_APPLICABLE, "no hold in the call")
    ev, problems = [], []
    for s, ask in holds:
        thanks = call.search(
            AGENT,
            phrases=p["thank_phrases"],
            t0=s.end - HOLD_EDGE_SLACK,
            t1=s.end + p.get("thank_within", DEFAULT_THANK_WITHIN),
        )
        ev.append(Evidence(f"hold of {s.duration:.1f} s", s.start, s.end, s.before, None))
        if ask:
            ev.append(ask.evidence("asked to hold"))
        else:
            problems.append(f"hold at {s.start:.1f} s not announced")
        if thanks:
            ev.append(thanks[0].evidence("thanked for waiting"))
        else:
            problems.append(f"no thanks for waiting after the hold at {s.start:.1f} s")
        if "max_seconds" in p and s.duration > p["max_seconds"]:
            problems.append(f"hold of {s.duration:.0f} s is over {p['max_seconds']:g} s")
    if problems:
        return _result(item, FAIL, "; ".join(problems), ev, len(holds))
    return _result(item, PASS, f"{len(holds)} hold(s), each announced and thanked", ev, len(holds))


def _talk_ratio(item: RubricItem, call: CallContext) -> ItemResult:
    ratio = call.timeline.talk_ratio()
    lo, hi = item.params["range"]
    if ratio is None:
        return _result(item, NOT_MEASURED, "talk ratio unknown (speaker roles not known or nobody talked)")
    ok = lo <= ratio <= hi
    why = f"agent talk share {ratio:.0%} {'within' if ok else 'outside'} {lo:.0%}-{hi:.0%}"
    return _result(item, PASS if ok else FAIL, why, (), ratio)


def _monologue(item: RubricItem, call: CallContext) -> ItemResult:
    p = item.params
    role = p.get("role", AGENT)
    long_turns = [t for t in call.timeline.turns_of(role) if t.duration > p["max_seconds"]]
    ev = [
        Evidence(f"{t.duration:.0f} s turn: '{t.text[:80]}'", t.start, t.end, t.speaker, t.role)
        for t in long_turns
    ]
    longest = max((t.duration for t in call.timeline.turns_of(role)), default=0.0)
    if len(long_turns) > p.get("max_count", 0):
        return _result(
            item, FAIL, f"{len(long_turns)} {role} turn(s) over {p['max_seconds']:g} s", ev, longest
        )
    return _result(item, PASS, f"longest {role} turn {longest:.0f} s", ev, longest)


def _turn_evidence(t: TurnSentiment, note: str = "") -> Evidence:
    s = t.sentiment
    label = f"{s.label} {5 * s.score:+.1f}"
    return Evidence(t.text, t.start, t.end, t.speaker, t.role, note=f"{label}; {note}" if note else label)


def _turns_with(turns: Sequence[TurnSentiment], hits: Sequence[Hit]) -> frozenset[int]:
    """Indices of ``turns`` in which one of ``hits`` starts."""
    return frozenset(t.index for t in turns if any(t.start - 0.05 <= h.start <= t.end + 0.05 for h in hits))


def check_sentiment(*, item: RubricItem, call: CallContext) -> ItemResult:
    """Rubric items on the call's sentiment (:mod:`callscore.sentiment.measures`), evidence = the turns.

    ``measure: customer_left_no_worse`` (``tolerance``, ``complaint_below``, ``min_gain``),
    ``agent_tone_non_negative`` (``min_confidence``, ``exempt_phrases``) or ``positive_language``
    (``min_count``, ``min_confidence``, ``exempt_phrases``; ``phrases``/``patterns``/``examples`` and
    ``opposite``/``opposite_examples`` found with the tone kind's phrase and meaning search, the model's
    label for what the phrase lists miss). ``not_measured`` when the call's sentiment was not measured.
    """
    p = item.params
    sent = call.sentiment
    if sent is None:
        return _result(item, NOT_MEASURED, "sentiment not measured (run with a sentiment model)")
    measure = p["measure"]
    out: MeasureResult
    if measure == "customer_left_no_worse":
        keys = ("tolerance", "complaint_below", "min_gain")
        out = customer_left_no_worse(call=sent, **{k: float(p[k]) for k in keys if k in p})
    elif measure == "agent_tone_non_negative":
        exempt = p.get("exempt_phrases")
        out = agent_tone_non_negative(
            call=sent,
            language=call.rubric.language,
            exempt_phrases=None if exempt is None else tuple(exempt),
            **({"min_confidence": float(p["min_confidence"])} if "min_confidence" in p else {}),
        )
    else:
        agent = [t for t in sent.turns if t.role == AGENT]
        good = call.search(AGENT, **_phrases(p))
        bad = call.search(
            AGENT,
            phrases=p.get("opposite", ()),
            min_similarity=p.get("min_similarity"),
            examples=p.get("opposite_examples", ()),
        )
        exempt = p.get("exempt_phrases")
        out = positive_language(
            call=sent,
            min_count=int(p.get("min_count", 0)),
            phrase_turns=_turns_with(agent, good),
            opposite_turns=_turns_with(agent, bad),
            language=call.rubric.language,
            exempt_phrases=None if exempt is None else tuple(exempt),
            min_confidence=float(p.get("min_confidence", NEGATIVE_LANGUAGE_CONFIDENCE)),
        )
    status = {"pass": PASS, "fail": FAIL}.get(out.outcome, NOT_APPLICABLE)
    return _result(item, status, out.reason, [_turn_evidence(t) for t in out.evidence], out.value)


_MEASURES: dict[str, Callable[[RubricItem, CallContext], ItemResult]] = {
    "interruptions": _interruptions,
    "dead_air": _dead_air,
    "hold": _hold,
    "talk_ratio": _talk_ratio,
    "monologue": _monologue,
}

CHECKS: dict[str, Callable[..., ItemResult]] = {
    "phrase_present": check_phrase_present,
    "phrase_absent": check_phrase_absent,
    "conditional": check_conditional,
    "timing": check_timing,
    "prosody": check_prosody,
    "tone": check_tone,
    "sentiment": check_sentiment,
}

__all__ = ["AGENT", "CUSTOMER", "CHECKS", "CallContext", "Hit", "RoleWords", "role_words"]
