"""Find personal data in a transcript's words: NIK/KK, phone, card, account, e-mail, birth date, name.

Detection reads each channel's words in time order, as Whisper wrote them ("0812-3456-7890", "kosong delapan
satu dua ...", "budi at gmail titik com"). Numbers are typed by structure where the structure is strong
enough on its own (a valid NIK, a Luhn-valid card, an 08.. mobile number) and by a cue before them otherwise
("nomor rekening", "NIK-nya"); a cue said by the agent counts for the customer's answer on the other channel
within :data:`CUE_SECONDS`. A cue with a looser length range also catches numbers Whisper heard one digit
short or long, because a leaked number is worse than an over-blanked one. Cues of order, ticket and amount
numbers ("nomor pesanan", "Rp") keep those from being flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..transcript import Transcript
from .lexicon import Lexicon, load_lexicon
from .numbers import (
    Atom,
    card_shape,
    digit_token,
    mobile_shape,
    nik_valid,
    number_atoms,
)
from .types import ACCOUNT, BIRTH_DATE, CARD, EMAIL, KK, NAME, NIK, PHONE, Detection, WordRef

CUE_GAP = 8  # words allowed between a cue and the number it introduces ("nomor rekening BCA saya yaitu ...")
CUE_SECONDS = 10.0  # s; a cue on the other channel this recent still types the answer
DATE_WINDOW = 8  # words after a birth-date cue in which the date may start ("lahir di Bandung tanggal ...")
ASK_TAIL = 4  # words after a cue that still end a question ("nomor rekening tujuannya berapa Bu?")
RUN_BREAK_GAP = 0.5  # s of silence between segments that ends a number being read out
RUN_GARBLED_WORDS = 2  # unknown words a number read out after a cue may hold (ASR garble)
MIN_DIGITS = 6  # shorter numbers are never identifiers here
NAME_ANSWER_WORDS = 4  # an answer to "atas nama siapa?" has the name within its first words
EMAIL_LOCAL_WORDS = 6  # longest spoken local part read backwards from "at"
NUMBER_TYPES = (NIK, KK, PHONE, CARD, ACCOUNT)
# digits a number must have to be typed by its cue (loose: one or two digits lost or doubled by the ASR)
CUE_LENGTHS: dict[str, range] = {
    NIK: range(14, 19),
    KK: range(14, 19),
    CARD: range(12, 20),
    ACCOUNT: range(6, 21),
    PHONE: range(8, 16),
}

_PUNCT = ",.;:!?\"'()[]{}"
_CLAUSE_END = (".", ",", "?", "!", ";", ":")
_EMAIL_TOKEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_ORDINAL_DIGITS = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*\.?$")


@dataclass(frozen=True)
class DetectOptions:
    """What to look for.

    Attributes:
        language: Lexicon to use ("id", "en"); None = the transcript's decoding language.
        types: PII types to detect; others are ignored.
        cross_channel_cues: Let a cue on one channel type the answer on the other.
    """

    language: str | None = None
    types: tuple[str, ...] = (NIK, KK, PHONE, CARD, ACCOUNT, EMAIL, BIRTH_DATE, NAME)
    cross_channel_cues: bool = True


@dataclass(frozen=True)
class _Token:
    norm: str
    raw: str
    ref: WordRef
    start: float
    end: float
    channel: int


@dataclass(frozen=True)
class _Cue:
    kind: str
    first: int
    last: int
    end: float
    channel: int
    until: float = float("inf")  # the asker's next utterance starts: an answer on the other channel ends
    asks: bool = False  # the cue ends its utterance ("Nomor HP-nya?"): the answer comes from the other side


def normalise(word: str) -> str:
    """Lower case without outer punctuation, the form cues and number words are matched in."""
    t = word.strip().lower().strip(_PUNCT)
    return t[:-4] if t.endswith("-nya") and len(t) > 4 else t


def tokens_of(transcript: Transcript) -> dict[int, list[_Token]]:
    """Words per channel in time order; a segment without words is split on spaces, times spread evenly."""
    per: dict[int, list[_Token]] = {}
    for seg in transcript.segments:
        out = per.setdefault(seg.channel, [])
        if seg.words:
            for i, w in enumerate(seg.words):
                raw = w.text.strip()
                if raw:
                    out.append(_Token(normalise(raw), raw, WordRef(seg.id, i), w.start, w.end, w.channel))
            continue
        parts = list(re.finditer(r"\S+", seg.text))
        span = (seg.end - seg.start) / max(len(parts), 1)
        for k, m in enumerate(parts):
            ref = WordRef(seg.id, -1, m.start(), m.end())
            t0 = seg.start + k * span
            out.append(_Token(normalise(m.group()), m.group(), ref, t0, t0 + span, seg.channel))
    for toks in per.values():
        toks.sort(key=lambda t: t.start)
    return per


def detect_pii(*, transcript: Transcript, options: DetectOptions | None = None) -> tuple[Detection, ...]:
    """Every piece of personal data in ``transcript``, in time order.

    Parameters
    ----------
    transcript : the call; only its words (or segment text where a segment has no words) are read
    options : language and types; default: the transcript's language, every type

    Returns
    -------
    Non-overlapping detections, each with its type, channel, start/end in seconds and the words it covers.
    """
    opts = options or DetectOptions()
    lex = load_lexicon(opts.language or transcript.info.language or "id")
    per = tokens_of(transcript)
    cased = any(any(c.isupper() for c in t.raw) for toks in per.values() for t in toks)
    cues = {ch: _find_cues(toks, lex) for ch, toks in per.items()}
    found: list[Detection] = []
    for ch, toks in per.items():
        others = [c for o, cs in cues.items() if o != ch for c in cs] if opts.cross_channel_cues else []
        ctx = _Context(toks=toks, cues=cues[ch], other_cues=others, lex=lex, cased=cased, types=opts.types)
        found.extend(ctx.run())
    return tuple(sorted(found, key=lambda d: (d.start, d.channel)))


def _find_cues(toks: Sequence[_Token], lex: Lexicon) -> list[_Cue]:
    """Cue phrases in a channel, longest match at each word ("nomor kartu keluarga" is KK, not card)."""
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for kind, phrases in lex.cues.items():
        for p in phrases:
            by_first.setdefault(p[0], []).append((kind, p))
    for lst in by_first.values():
        lst.sort(key=lambda kp: -len(kp[1]))
    hits: list[_Cue] = []
    # "nomor rekeningnya", "kartu kreditnya": the -nya suffix does not change the cue
    norms = [t.norm for t in toks]
    stems = [n[:-3] if n.endswith("nya") and len(n) > 5 else n for n in norms]
    i = 0
    while i < len(toks):
        best = None
        for kind, p in by_first.get(norms[i], ()) or by_first.get(stems[i], ()):
            got = tuple(norms[i : i + len(p)])
            if len(got) == len(p) and (got == p or got[:-1] + (stems[i + len(p) - 1],) == p):
                best = (kind, p)
                break
        if best is None:
            i += 1
            continue
        kind, p = best
        last = i + len(p) - 1
        seg = toks[last].ref.segment
        until = next((t.start for t in toks[last + 1 :] if t.ref.segment != seg), float("inf"))
        rest = [t for t in toks[last + 1 : last + 1 + ASK_TAIL + 1] if t.ref.segment == seg]
        asks = len(rest) <= ASK_TAIL and not any(digit_token(t.norm) for t in rest)
        hits.append(_Cue(kind, i, last, toks[last].end, toks[last].channel, until, asks))
        i = last + 1
    return hits


class _Context:
    """One channel's detection pass (e-mail, birth date, numbers, names, in that order)."""

    def __init__(
        self,
        *,
        toks: list[_Token],
        cues: list[_Cue],
        other_cues: list[_Cue],
        lex: Lexicon,
        cased: bool,
        types: tuple[str, ...],
    ) -> None:
        self.toks, self.cues, self.other_cues, self.lex = toks, cues, other_cues, lex
        self.cased, self.types = cased, types
        self.used = [False] * len(toks)
        self.out: list[Detection] = []
        # Whisper writes some segments without capitals; judge capitals per segment
        self._answers: dict[tuple[int, int], list[int]] = {}
        self.words = [t.norm for t in toks]  # with misspelled digit words read as digits (numbers pass)
        self.spent = [False] * len(toks)  # numbers refused as not personal (amounts, order numbers)
        self.cased_segments: dict[int, bool] = {}
        for t in toks:
            self.cased_segments[t.ref.segment] = self.cased_segments.get(t.ref.segment, False) or any(
                ch.isupper() for ch in t.raw
            )

    def run(self) -> list[Detection]:
        if EMAIL in self.types:
            self._emails()
        if BIRTH_DATE in self.types:
            self._birth_dates()
        if any(t in self.types for t in NUMBER_TYPES):
            self._numbers()
        if NAME in self.types:
            self._names()
        return self.out

    # -- helpers ---------------------------------------------------------------------------------------
    def _emit(self, kind: str, first: int, last: int, value: str, reason: str) -> None:
        span = self.toks[first : last + 1]
        for k in range(first, last + 1):
            self.used[k] = True
        self.out.append(
            Detection(
                type=kind,
                channel=span[0].channel,
                start=span[0].start,
                end=span[-1].end,
                words=tuple(t.ref for t in span),
                text=" ".join(t.raw for t in span),
                value=value,
                reason=reason,
            )
        )

    def _cue_before(self, pos: int, kinds: Iterable[str]) -> _Cue | None:
        """The latest cue of ``kinds`` that introduces the word at ``pos``: on the same channel within
        CUE_GAP words with no other number in between, or on the other channel when ``pos`` lies in the
        answer to it (before the asker speaks again, within CUE_SECONDS)."""
        wanted = set(kinds)
        cands: list[_Cue] = []
        for c in self.cues:
            # a cue introduces one number: one already typed or refused in between ends it
            if (
                c.kind in wanted
                and c.last < pos
                and pos - c.last - 1 <= CUE_GAP
                and pos in self._after(c)
                and not any(self.used[k] or self.spent[k] for k in range(c.last + 1, pos))
            ):
                cands.append(c)
        for c in self.other_cues:  # "nomor pesanan" on the other side says nothing of this side's numbers
            if c.kind in wanted and c.kind != "not_pii" and pos in self._answer(c):
                cands.append(c)
        return max(cands, key=lambda c: c.end) if cands else None

    def _after(self, c: _Cue) -> range:
        """Positions a same-channel cue can introduce: up to CUE_GAP words, within its sentence. A cue
        that ends in a question mark asks the other side and introduces nothing here."""
        if self.toks[c.last].raw.endswith("?"):
            return range(0)
        end = min(len(self.toks), c.last + 1 + CUE_GAP)
        for k in range(c.last + 1, end):
            if self.toks[k].raw.endswith((".", "?", "!")):
                return range(c.last + 1, k + 1)
        return range(c.last + 1, end)

    def _answer(self, c: _Cue) -> list[int]:
        """Positions of this channel's words that answer cue ``c`` said on the other channel."""
        key = (c.channel, c.last)
        if key not in self._answers:
            self._answers[key] = self._answer_positions(c)
        return self._answers[key]

    def _answer_positions(self, c: _Cue) -> list[int]:
        # the answer is this channel's first utterance after the question, before the asker speaks again
        if not c.asks:
            return []
        limit = min(c.end + CUE_SECONDS, c.until)
        first = next((p for p, t in enumerate(self.toks) if t.start >= c.end - 0.05), None)
        if first is None or self.toks[first].start > limit:
            return []
        out = [first]
        for p in range(first + 1, len(self.toks)):
            a, b = self.toks[p - 1], self.toks[p]
            if b.start > limit or (a.ref.segment != b.ref.segment and b.start - a.end >= RUN_BREAK_GAP):
                break
            out.append(p)
        return out

    def _free(self, first: int, last: int) -> bool:
        return not any(self.used[first : last + 1])

    # -- e-mail ----------------------------------------------------------------------------------------
    def _emails(self) -> None:
        em = self.lex.email
        for i, t in enumerate(self.toks):
            m = _EMAIL_TOKEN.search(t.raw)
            if m and not self.used[i]:
                self._emit(EMAIL, i, i, m.group().lower(), "address written")
        for i, t in enumerate(self.toks):
            if self.used[i] or t.norm not in em["at"] or i == 0:
                continue
            dom = self._domain(i + 1)
            if dom is None:
                continue
            end, domain = dom
            first, local = self._local_part(i - 1)
            if first is None or not self._free(first, end):
                continue
            self._emit(EMAIL, first, end, f"{local}@{domain}", f"spoken address ({t.norm!r})")

    def _domain(self, j: int) -> tuple[int, str] | None:
        """(last token, domain) read from ``j``: "gmail titik com", "gmail.com", "yahoo. co. id"."""
        em, toks = self.lex.email, self.toks
        labels: list[str] = []
        end, cut, want_label = None, 0, True
        for k in range(j, min(j + 9, len(toks))):
            if self.used[k]:
                break
            text = toks[k].raw.lower().strip(",;:!?\"'()")
            if text in em["dot"] or toks[k].norm in em["dot"]:
                if want_label:
                    break
                want_label = True
                continue
            body = text.strip(".")
            if not want_label or not body or not all(x.replace("-", "").isalnum() for x in body.split(".")):
                break
            labels.extend(x for x in body.split(".") if x)
            want_label = text.endswith(".")
            if len(labels) >= 2 and labels[-1] in em["tlds"]:
                end, cut = k, len(labels)
        if end is None:
            return None
        return end, ".".join(labels[:cut])

    def _local_part(self, k: int) -> tuple[int | None, str]:
        em, toks = self.lex.email, self.toks
        connectors = em["dot"] | em["underscore"] | em["dash"]
        if k < 0 or self.used[k] or toks[k].norm in em["stop"] or toks[k].norm in connectors:
            return None, ""
        parts = [toks[k].norm]
        first = k
        while first - 1 >= 0 and k - first < EMAIL_LOCAL_WORDS:
            conn = toks[first - 1].norm
            word = toks[first - 2].norm if first >= 2 else ""
            if self.used[first - 1] or (first >= 2 and self.used[first - 2]) or conn in em["stop"]:
                break
            prev = toks[first - 1]
            if prev.raw.endswith(".") and prev.norm.isalnum() and prev.norm not in em["stop"]:
                parts[:0] = [prev.norm, "."]  # "eko. wibowo at ...": Whisper wrote the spoken dot
                first -= 1
            elif conn in connectors and word and word not in em["stop"]:
                sym = "." if conn in em["dot"] else "_" if conn in em["underscore"] else "-"
                parts[:0] = [word, sym]
                first -= 2
            elif digit_token(parts[0]) is not None and conn not in em["stop"]:
                parts.insert(0, conn)  # "budi 88 at ...": the word before the digits belongs too
                first -= 1
            else:
                break
        return first, "".join(parts)

    # -- dates of birth --------------------------------------------------------------------------------
    def _birth_dates(self) -> None:
        windows: list[tuple[list[int], str]] = []
        for c in self.cues:
            if c.kind == BIRTH_DATE:
                windows.append((list(self._after(c))[:DATE_WINDOW], "cue"))
        for c in self.other_cues:
            if c.kind == BIRTH_DATE:
                windows.append((self._answer(c)[:DATE_WINDOW], "cue on other channel"))
        for starts, why in windows:
            for p in starts:  # the first date after a cue is the birth date; later ones are other dates
                if self.used[p]:
                    continue
                got = self._date_at(p)
                if got is not None and self._free(p, got[0]):
                    self._emit(BIRTH_DATE, p, got[0], got[1], f"date after birth-date {why}")
                    break

    def _date_at(self, p: int) -> tuple[int, str] | None:
        """(last token, ISO date) of a date starting at ``p``, else None."""
        toks, lex = self.toks, self.lex
        m = _NUMERIC_DATE.match(toks[p].norm)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(2)), _year(int(m.group(3)), len(m.group(3)))
            return (p, f"{y:04d}-{mo:02d}-{d:02d}") if 1 <= d <= 31 and 1 <= mo <= 12 else None
        if toks[p].norm in lex.date_glue:
            return None  # the date starts at its first number or month, not at "tanggal"
        window = [t.norm for t in toks[p : p + 12]]
        atoms = number_atoms([_strip_ordinal(w, lex) for w in window], lex.numbers)
        k = 0
        month: int | None = None
        day: int | None = None
        end = -1
        month_word = False
        if window[0] in lex.months:  # "August 17, 1990"
            month, k, month_word = lex.months[window[0]], 1, True
            k = _skip(window, k, lex.date_glue)
            day, end, k = _day_at(window, k, atoms, lex)
            if day is None:
                return None
        else:
            day, end, k = _day_at(window, 0, atoms, lex)
            if day is None:
                return None
            k = _skip(window, k, lex.date_glue)
            if k < len(window) and window[k] in lex.months:
                month, end, k, month_word = lex.months[window[k]], k, k + 1, True
            else:
                a = _atom_at(atoms, k)
                if a is None or not 1 <= int(a.digits) <= 12 or a.first != k:
                    return None
                month, end, k = int(a.digits), a.last, a.last + 1
        k = _skip(window, k, lex.date_glue)
        year, y_end = _year_at(atoms, k)
        if year is not None:
            end = y_end
        elif not month_word:
            return None  # day and numeric month without a year is too weak ("17 8" could be anything)
        iso = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        return p + end, iso

    # -- numbers ---------------------------------------------------------------------------------------
    def _numbers(self) -> None:
        toks, num = self.toks, self.lex.numbers
        self.words = [self._fuzzy_digit(k) or t.norm for k, t in enumerate(toks)]
        i = 0
        while i < len(toks):
            if self.used[i] or not self._numeric(self.words[i]):
                i += 1
                continue
            # after a cue the speaker is reading a number out: a word or two the ASR garbled inside it
            # ("nol darapan saat udua tika empat ...") belong to the number, and are blanked with it
            cue = self._cue_before(i, (*NUMBER_TYPES, "not_pii"))
            tolerance = RUN_GARBLED_WORDS if cue is not None and cue.kind in NUMBER_TYPES else 0
            j = i
            last_num = i
            garbled = 0
            while j + 1 < len(toks) and not self.used[j + 1] and not self._breaks(j):
                nxt = self.words[j + 1]
                if self._numeric(nxt):
                    last_num, garbled = j + 1, 0
                elif nxt in num.fillers or nxt in num.joiners:
                    pass
                elif garbled < tolerance and nxt not in self.lex.name_stop:
                    garbled += 1
                else:
                    break
                j += 1
            self._classify_run(i, last_num, cue)
            i = last_num + 1

    def _fuzzy_digit(self, k: int) -> str | None:
        """The digit word a misspelled token stands for ("sembilann", "tika", "darapan") when it sits among
        digits: one edit from a digit word of 4+ letters once both are reduced to :func:`_sound_key`, with
        a number next to it."""
        norm, num = self.toks[k].norm, self.lex.numbers
        if len(norm) < 4 or not norm.isalpha() or num.is_number_word(norm) or norm in self.lex.name_stop:
            return None
        key = _sound_key(norm)
        near = [w for w in num.digits if len(w) >= 4 and Levenshtein.distance(key, _sound_key(w)) <= 1]
        if len({num.digits[w] for w in near}) != 1:
            return None  # no digit word this close, or two different digits

        def numeric(p: int) -> bool:
            return 0 <= p < len(self.toks) and self._numeric(self.toks[p].norm)

        return near[0] if numeric(k - 1) or numeric(k + 1) else None

    def _breaks(self, j: int) -> bool:
        """True when a number being read out cannot go on past word ``j``: a new utterance after a pause,
        or the end of a sentence followed by something that is not a number."""
        a, b = self.toks[j], self.toks[j + 1]
        if a.ref.segment != b.ref.segment and (
            b.start - a.end >= RUN_BREAK_GAP or a.raw.endswith((".", "?", "!"))
        ):
            return True
        return a.raw.endswith((".", "?", "!")) and not self._numeric(b.norm)

    def _numeric(self, norm: str) -> bool:
        return digit_token(norm) is not None or self.lex.numbers.is_number_word(norm)

    def _classify_run(self, first: int, last: int, cue: _Cue | None) -> None:
        toks = self.toks
        atoms = number_atoms(self.words[first : last + 1], self.lex.numbers)
        if not atoms or sum(len(a.digits) for a in atoms) < MIN_DIGITS:
            return
        refused = last + 1 < len(toks) and toks[last + 1].norm in self.lex.number_units
        cue_kind = cue.kind if cue else None
        if refused or cue_kind == "not_pii":
            # "tiga ratus ribu rupiah", "nomor pesanan ...": an amount, a duration, an order number
            for k in range(first, last + 1):
                self.spent[k] = True
            return
        self._pick(atoms, 0, len(atoms), first, cue_kind)

    def _pick(self, atoms: list[Atom], lo: int, hi: int, base: int, cue: str | None) -> None:
        """Best typed sub-run of atoms[lo:hi] (structure first, then most digits), then the rest."""
        best: tuple[tuple[int, int], int, int, str, str] | None = None
        for a in range(lo, hi):
            digits = ""
            for b in range(a, hi):
                digits += atoms[b].digits
                if len(digits) > 20:
                    break
                typed = _type_of(digits, cue, self.types)
                if typed is None:
                    continue
                kind, strength, why = typed
                score = (strength, len(digits))
                if best is None or score > best[0]:
                    best = (score, a, b, kind, why)
        if best is None:
            return
        _, a, b, kind, why = best
        digits = "".join(x.digits for x in atoms[a : b + 1])
        self._emit(kind, base + atoms[a].first, base + atoms[b].last, digits, why)
        self._pick(atoms, lo, a, base, cue)
        self._pick(atoms, b + 1, hi, base, cue)

    # -- names -----------------------------------------------------------------------------------------
    def _names(self) -> None:
        lex, toks = self.lex, self.toks
        for c in self.cues:
            if c.kind == NAME:
                self._name_at(c.last + 1, strong=True, why="after name cue")
            elif c.kind == "name_weak":
                self._name_at(c.last + 1, strong=False, why="after weak name cue")
        for i, t in enumerate(toks):
            if t.norm in lex.honorifics and not self.used[i]:
                self._name_at(i + 1, strong=False, why="after honorific", honorific=True)
        for c in self.other_cues:
            if c.kind != "name_questions":
                continue
            answer = self._answer(c)
            if not answer:
                continue
            p = answer[0]
            skip = lex.numbers.fillers | {
                "iya",
                "ya",
                "saya",
                "nama",
                "atas",
                "yes",
                "it's",
                "its",
                "my",
                "name",
                "is",
            }
            while (
                p < len(toks)
                and p - answer[0] < NAME_ANSWER_WORDS
                and (toks[p].norm in skip or toks[p].norm in lex.honorifics)
            ):
                p += 1
            if p < len(toks) and p - answer[0] < NAME_ANSWER_WORDS:
                self._name_at(p, strong=False, why="answer to a name question", answer=True)

    def _name_at(
        self, p: int, *, strong: bool, why: str, honorific: bool = False, answer: bool = False
    ) -> None:
        lex, toks = self.lex, self.toks
        if not answer and 0 < p <= len(toks) and toks[p - 1].raw.endswith(_CLAUSE_END) and not strong:
            return  # "terima kasih, Pak. Nanti ...": the sentence ended with the honorific
        while p < len(toks) and toks[p].norm in lex.honorifics:
            p += 1  # "atas nama Bapak Budi": the name is "Budi"
        q = p
        while q < len(toks) and q - p < lex.name_max_words and not self.used[q]:
            t = toks[q]
            word = t.raw.strip(_PUNCT)
            if not _NAME_WORD.match(word) or len(word) < 2 or t.norm in lex.name_stop:
                break
            if word.isupper() or t.norm in lex.not_names:  # "BCA", "Telkomsel": brands, not people
                break
            if lex.numbers.is_number_word(t.norm) or t.norm in lex.months:
                break
            cased = self.cased_segments.get(t.ref.segment, self.cased)
            if not strong and not cased and q == p and not (honorific or answer):
                break  # "saya kecewa": a weak cue needs the capital letter to tell a name
            needs_caps = cased and (q > p or not strong)
            if needs_caps and not word[0].isupper():
                break
            q += 1
            if t.raw.endswith(_CLAUSE_END):
                break
        if q > p and not strong and not honorific and not answer:
            # "ada masalah dengan Orbit saya": after a weak cue a name ends its clause ("dengan Rina, ...")
            ends = toks[q - 1].raw.endswith(_CLAUSE_END) or q == len(toks)
            if not ends and toks[q].norm not in lex.name_followers:
                return
        if q > p:
            name = " ".join(toks[k].raw.strip(_PUNCT) for k in range(p, q))
            self._emit(NAME, p, q - 1, name, why)


# Sounds Whisper confuses in Indonesian speech: r/l, the schwa written e or a, voiced/voiceless stops.
_SOUND_MAP = str.maketrans({"r": "l", "e": "a", "p": "b", "d": "t", "g": "k", "v": "f"})


def _sound_key(word: str) -> str:
    """``word`` with confusable sounds merged ("darapan" and "delapan" both -> "talaban")."""
    return word.lower().translate(_SOUND_MAP)


def _type_of(digits: str, cue: str | None, types: tuple[str, ...]) -> tuple[str, int, str] | None:
    """(type, strength, reason) of a digit string: 2 = its structure alone says so, 1 = its cue does."""
    n = len(digits)
    structural: list[tuple[str, str]] = []
    if mobile_shape(digits):  # before cards: 628.. is also a UnionPay prefix, but on a call it is a phone
        structural.append((PHONE, "mobile number"))
    if n == 16 and nik_valid(digits):
        structural.append((KK if cue == KK else NIK, "NIK structure"))
    if card_shape(digits):
        structural.append((CARD, "Luhn-valid card number"))
    # a cue decides between structures that fit ("kartu" before a Luhn-valid 16-digit NIK-shaped number)
    for kind, why in structural:
        if kind in types and (cue is None or cue == kind or (cue in (NIK, KK) and kind in (NIK, KK))):
            return kind, 2, why
    if cue is not None and cue in types and n in CUE_LENGTHS[cue]:
        return cue, 1, f"{n} digits after a {cue} cue"
    for kind, why in structural:
        if kind in types and cue not in (ACCOUNT,):
            return kind, 2, why
    return None


def _strip_ordinal(word: str, lex: Lexicon) -> str:
    m = _ORDINAL_DIGITS.match(word)
    if m and m.group(2) in lex.ordinal_suffixes:
        return m.group(1)
    if word in lex.ordinals:
        return str(lex.ordinals[word])
    return word


def _skip(window: Sequence[str], k: int, words: frozenset[str]) -> int:
    while k < len(window) and window[k] in words:
        k += 1
    return k


def _atom_at(atoms: Sequence[Atom], k: int) -> Atom | None:
    return next((a for a in atoms if a.first == k), None)


def _day_at(
    window: Sequence[str], k: int, atoms: Sequence[Atom], lex: Lexicon
) -> tuple[int | None, int, int]:
    """(day, its last index, next index) of a day number starting at ``k``."""
    a = _atom_at(atoms, k)
    if a is None or not a.digits.isdigit() or not 1 <= int(a.digits) <= 31 or len(a.digits) > 2:
        return None, -1, k
    day, end = int(a.digits), a.last
    # "twenty first" / "dua puluh satu" is one atom already; "the 17th of"
    return day, end, end + 1


def _year(value: int, width: int) -> int:
    if width == 2:
        return 2000 + value if value <= 30 else 1900 + value
    return value


def _year_at(atoms: Sequence[Atom], k: int) -> tuple[int | None, int]:
    """(year, last index) of a year starting at ``k``: "1990", "90", "sembilan belas sembilan puluh",
    "nineteen ninety", "dua ribu lima", "satu sembilan sembilan nol"."""
    seq = [a for a in atoms if a.first >= k]
    if not seq or seq[0].first != k:
        return None, -1
    a = seq[0]
    v = int(a.digits) if a.digits.isdigit() else -1
    if len(a.digits) == 4 and 1900 <= v <= 2099:
        return v, a.last
    if v in (19, 20) and len(seq) > 1 and seq[1].first == a.last + 1 and len(seq[1].digits) <= 2:
        y = v * 100 + int(seq[1].digits)
        return y, seq[1].last
    if len(seq) >= 4 and all(len(x.digits) == 1 for x in seq[:4]):
        y = int("".join(x.digits for x in seq[:4]))
        if 1900 <= y <= 2099 and all(seq[i + 1].first == seq[i].last + 1 for i in range(3)):
            return y, seq[3].last
    if len(a.digits) == 2:
        return _year(v, 2), a.last
    return None, -1
