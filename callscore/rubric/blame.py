"""Blame in words no list knows: an agent sentence that makes the customer the actor or owner of a fault.

Phrase and example lists of blaming language generalise badly: agents blame in whatever words the fault
takes ("Bapak aja yang nggak baca", "Ibu yang boros", "you should have asked for a signature"). What those
sentences share is grammar, not words: the customer, named by a form of address or "you", is singled out
as the one who did it ("bapak saja yang ..."), owns it ("risiko bapak sendiri", "that's on you") or
should have done otherwise ("harusnya kakak ...", "you should have ..."). This module finds those
frames; :mod:`callscore.rubric.checks` asks for a second sign of fault (a negator after the customer, an
obligation word, or the bundled sentiment model's P(negative)) where the frame alone is also polite
("ibu yang daftar kemarin ya", "atas nama Bapak sendiri").

The word classes (pronouns, focus particles, obligation words) are closed grammar, per language, in
``rubrics/lang/<code>/blame.yaml``; nothing here is a list of blaming phrases.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from callscore.errors import LanguageDataError
from callscore.resources import has_language_data, language_data
from callscore.rubric.meaning import NEGATORS, sentence_stems
from callscore.transcript.textnorm import normalize_words

NEGATION_BEFORE = 3  # stems: a negator this close before the frame negates it ("bukan salah bapak sendiri")
# frame kinds, strongest first; "subject" (the customer merely opening the clause) needs the most evidence
CLEFT, OWNER, OBLIGED, MISSED, PUT_ON, SUBJECT = "cleft", "owner", "obliged", "missed", "put_on", "subject"
FRAME_NOTES = {
    CLEFT: "singles the customer out as the one who did it",
    OWNER: "makes the fault the customer's own",
    OBLIGED: "says what the customer should have done",
    MISSED: "says what the customer should have done",
    PUT_ON: "puts the fault on the customer",
    SUBJECT: "makes the customer the subject",
}
_WORD = re.compile(r"[^\w']+")


@dataclass(frozen=True)
class BlameCues:
    """One language's closed word classes for blame frames (``rubrics/lang/<code>/blame.yaml``).

    Attributes:
        pronouns: Words (as said, lower case) that name the customer as "you"; vocatives left out.
        openers: Stems that may open a clause before its subject.
        particles: Stems that may stand between the customer and the focus word.
        focus: Stem sequences of the cleft's relative word ("yang", "the one").
        owner_after: Stems that make the customer the owner right after it ("sendiri", "sih").
        obligation_before: Stems of obligation words right before the customer ("harusnya").
        obligation: Stem sequences of obligation words that count as a sign of fault anywhere.
        standalone_after: Stem sequences after the customer that blame on their own ("should have").
        put_on: (stem of the word, stems that may come before it, stems that may follow "you"), or None.
        expectation: Stem sequences that turn a standalone frame into an expectation ("received").
        hardship: Stems after the customer (and a negator) that make the frame the customer's hardship,
            not fault: "seharusnya ibu tidak perlu menunggu", "you shouldn't have to wait".
        reassurance: Stem sequences that reassure the customer ("tidak apa apa", "no problem"): a sentence
            holding one does not blame ("bapak yang tidak bisa datang ya, tidak apa apa").
        restate: Stems that open a restatement ("jadi", "berarti", "so").
        confirm_tags: Stems that close a confirmation question ("ya", "betul", "right"): a sentence
            opened by ``restate`` and closed by one says the customer's problem back.
    """

    pronouns: frozenset[str]
    openers: frozenset[str]
    particles: frozenset[str]
    focus: tuple[tuple[str, ...], ...]
    owner_after: frozenset[str]
    obligation_before: frozenset[str]
    obligation: tuple[tuple[str, ...], ...]
    standalone_after: tuple[tuple[str, ...], ...]
    put_on: tuple[str, frozenset[str], frozenset[str]] | None
    expectation: tuple[tuple[str, ...], ...]
    hardship: frozenset[str] = frozenset()
    reassurance: tuple[tuple[str, ...], ...] = ()
    restate: frozenset[str] = frozenset()
    confirm_tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BlameFrame:
    """Where a sentence makes the customer the actor or owner of a fault.

    Attributes:
        kind: One of ``CLEFT``, ``OWNER``, ``OBLIGED``, ``MISSED``, ``PUT_ON``, ``SUBJECT``.
        first: Index of the frame's first stem in the sentence.
        last: Index of its last stem.
        customer: Index of the stem that names the customer.
        standalone: True when the frame blames without a second sign of fault.
    """

    kind: str
    first: int
    last: int
    customer: int
    standalone: bool = False

    @property
    def note(self) -> str:
        """What the frame does, for the evidence."""
        return FRAME_NOTES[self.kind]


def _stems(text: str, *, language: str) -> tuple[str, ...]:
    return sentence_stems(normalize_words([text], language=language).tokens, language=language)


def _list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    v = data.get(key) or []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise LanguageDataError(f"{where}: {key} must be a list of words")
    return v


@functools.cache
def blame_cues(language: str) -> BlameCues:
    """The blame cues of ``language`` (parsed once); empty cues where the language ships none."""
    if not has_language_data(language, "blame"):
        none: frozenset[str] = frozenset()
        return BlameCues(none, none, none, (), none, none, (), (), None, ())
    data = language_data(language, "blame")
    where = f"rubrics/lang/{language}/blame.yaml"

    def stems(key: str) -> frozenset[str]:
        return frozenset(s for w in _list(data, key, where) for s in _stems(w, language=language))

    def seqs(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(x for x in (_stems(w, language=language) for w in _list(data, key, where)) if x)

    put = data.get("put_on")
    put_on = None
    if put is not None:
        if not isinstance(put, dict) or not isinstance(put.get("word"), str):
            raise LanguageDataError(f"{where}: put_on must be a mapping with word, before and then")
        word = _stems(put["word"], language=language)
        put_on = (
            word[0],
            frozenset(s for w in _list(put, "before", where) for s in _stems(w, language=language)),
            frozenset(s for w in _list(put, "then", where) for s in _stems(w, language=language)),
        )
    return BlameCues(
        pronouns=frozenset(w.lower() for w in _list(data, "pronouns", where)),
        openers=stems("openers"),
        particles=stems("particles"),
        focus=seqs("focus"),
        owner_after=stems("owner_after"),
        obligation_before=stems("obligation_before"),
        obligation=seqs("obligation"),
        standalone_after=seqs("standalone_after"),
        put_on=put_on,
        expectation=seqs("expectation"),
        hardship=stems("hardship"),
        reassurance=seqs("reassurance"),
        restate=stems("restate"),
        confirm_tags=stems("confirm_tags"),
    )


def _at(stems: Sequence[str], k: int, seq: Sequence[str]) -> bool:
    return tuple(stems[k : k + len(seq)]) == tuple(seq)


def _find(stems: Sequence[str], seqs: Iterable[Sequence[str]], start: int = 0) -> tuple[int, int] | None:
    """(first, last) stem index of the first of ``seqs`` found at or after ``start``, or None."""
    for k in range(start, len(stems)):
        for seq in seqs:
            if seq and _at(stems, k, seq):
                return k, k + len(seq) - 1
    return None


def _is_customer(word: str, cues: BlameCues) -> bool:
    w = _WORD.sub("", word.lower())
    return w in cues.pronouns or (w.endswith("nya") and w[:-3] in cues.pronouns)


def _passive(words: Sequence[str], stems: Sequence[str], k: int) -> bool:
    """The word at ``k`` is an Indonesian di- passive ("harusnya bapak ditelpon dulu", "ibu yang ditagih"):
    the customer is acted upon, not the actor."""
    if k >= len(words):
        return False
    w = _WORD.sub("", words[k].lower())
    return w.startswith("di") and len(w) > 4 and not stems[k].startswith("di")


def _reassures(stems: Sequence[str], cues: BlameCues) -> bool:
    return _find(stems, cues.reassurance) is not None


def _restates(stems: Sequence[str], cues: BlameCues) -> bool:
    """A restatement question: opened by "jadi" / "berarti" / "so" (after openers and address), closed by a
    confirmation tag ("jadi ibu yang tidak bisa login ya", "so you're the one who couldn't log in, right")."""
    core = [x for x in stems if x != "@addr"]
    lead = next((x for x in core if x not in cues.openers or x in cues.restate), None)
    return bool(core) and lead in cues.restate and core[-1] in cues.confirm_tags


def _hardship(stems: Sequence[str], j: int, cues: BlameCues) -> bool:
    """Right after the customer (at ``j``, past particles), a negator allowed, comes a hardship word ("tidak
    perlu", "shouldn't have to", "should have been"): the customer is the one wronged, not at fault."""
    for i in range(j, min(len(stems), j + 4)):
        if stems[i] in cues.hardship:
            return True
        if stems[i] not in NEGATORS and i > j + 1:
            return False
    return False


def blame_frames(*, stems: Sequence[str], words: Sequence[str], cues: BlameCues) -> tuple[BlameFrame, ...]:
    """Blame frames of one sentence, strongest first.

    Parameters
    ----------
    stems : sequence of str, shape (n,)
        The sentence's stems (:func:`callscore.rubric.meaning.sentence_stems`).
    words : sequence of str, shape (n,)
        The word each stem comes from, as said ("pak" and "bapak" share a stem; only "bapak" is a subject).
    cues : BlameCues
        The language's word classes (:func:`blame_cues`).
    """
    out: list[BlameFrame] = []
    n = len(stems)
    if _reassures(stems, cues) or _restates(stems, cues):
        return ()
    for k in range(n):
        if not _is_customer(words[k], cues):
            continue
        if any(s in NEGATORS for s in stems[max(0, k - NEGATION_BEFORE) : k]):
            continue  # "bukan salah bapak sendiri", "it's not on you": the frame is denied
        opens = all(s in cues.openers or s == "@addr" for s in stems[:k])
        j = k + 1
        while j < n and stems[j] in cues.particles:
            j += 1
        if _hardship(stems, j, cues):
            continue  # "seharusnya ibu tidak perlu menunggu", "you shouldn't have to wait": sympathy
        focus = next((len(f) for f in cues.focus if _at(stems, j, f)), 0)
        if focus and (j > k + 1 or opens) and not _passive(words, stems, j + focus):
            out.append(BlameFrame(CLEFT, k, j + focus - 1, k))
        nxt = k + 1 + (k + 1 < n and stems[k + 1] == "nya")
        if nxt < n and stems[nxt] in cues.owner_after:
            out.append(BlameFrame(OWNER, k, nxt, k))
        if k > 0 and stems[k - 1] in cues.obligation_before and not _passive(words, stems, k + 1):
            out.append(BlameFrame(OBLIGED, k - 1, k, k))
        for seq in cues.standalone_after:
            if _at(stems, j, seq) and _find(stems, cues.expectation, j + len(seq)) is None:
                out.append(BlameFrame(MISSED, k, j + len(seq) - 1, k, standalone=True))
                break
        if cues.put_on is not None:
            word, before, then = cues.put_on
            end_ok = k + 1 == n or stems[k + 1] in then
            if k >= 2 and stems[k - 1] == word and stems[k - 2] in before and end_ok:
                out.append(BlameFrame(PUT_ON, k - 2, k, k, standalone=True))
        if opens and not _passive(words, stems, k + 1):
            out.append(BlameFrame(SUBJECT, k, k, k))
    order = (MISSED, PUT_ON, CLEFT, OWNER, OBLIGED, SUBJECT)
    return tuple(sorted(out, key=lambda f: (order.index(f.kind), f.first)))


def fault_words(
    *, stems: Sequence[str], words: Sequence[str], frame: BlameFrame, cues: BlameCues
) -> tuple[str, ...]:
    """The words that say something went wrong: a negator after the customer (not a closing question tag,
    "... atau nggak") and any obligation word ("makanya", "harusnya")."""
    out = []
    neg = next((i for i in range(frame.customer + 1, len(stems) - 1) if stems[i] in NEGATORS), None)
    if neg is not None:
        out.append(f"negator '{words[neg]}'")
    ob = _find(stems, cues.obligation)
    if ob is not None and _find(stems, cues.expectation, ob[1] + 1) is None:  # not "should have received"
        out.append(f"obligation '{' '.join(words[ob[0] : ob[1] + 1])}'")
    return tuple(out)


__all__ = ["BlameCues", "BlameFrame", "blame_cues", "blame_frames", "fault_words"]
