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

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from ..transcript import Transcript
from .dates import parse_date
from .email import spoken_domain, spoken_local_part
from .lexicon import Lexicon, load_lexicon
from .numbers import (
    Atom,
    card_shape,
    digit_pieces,
    digit_token,
    nik_valid,
    number_atoms,
    phone_shape,
    sound_key,
    type_of_number,
)
from .types import ACCOUNT, BIRTH_DATE, CARD, EMAIL, KK, NAME, NIK, PHONE, Detection, WordRef

CUE_GAP = 8  # words allowed between a cue and the number it introduces ("nomor rekening BCA saya yaitu ...")
CUE_SECONDS = 10.0  # s; a cue on the other channel this recent still types the answer
DATE_TOKENS = 12  # longest spoken date ("the seventeenth of August nineteen ninety")
DATE_WINDOW = 8  # words after a birth-date cue in which the date may start ("lahir di Bandung tanggal ...")
ASK_TAIL = 4  # words after a cue that still end a question ("nomor rekening tujuannya berapa Bu?")
RUN_BREAK_GAP = 0.5  # s of silence between utterances that ends a number, unless the next goes on with digits
RUN_MAX_PAUSE = 2.0  # s; a longer pause always ends it
RUN_GARBLED_WORDS = 2  # unknown words a number read out after a cue may hold (ASR garble)
MIN_DIGITS = 6  # shorter numbers are never identifiers here
FUZZY_CUE_LETTERS = 6  # cue words this long also match one sound away ("rekanin" ~ "rekening")
FRAGMENT_LETTERS = 4  # a digit word Whisper split in two has halves this short ("say tu", "dala pan")
NAME_ANSWER_WORDS = 4  # an answer to "atas nama siapa?" has the name within its first words
NUMBER_TYPES = (NIK, KK, PHONE, CARD, ACCOUNT)

_PUNCT = ",.;:!?\"'()[]{}"
_COMPLETE = {PHONE: phone_shape, NIK: nik_valid, KK: nik_valid, CARD: card_shape}  # a number's whole shape
_CLAUSE_END = (".", ",", "?", "!", ";", ":")
_SENTENCE_END = (".", "?", "!")
_EMAIL_TOKEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
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
        other_starts = sorted(t.start for o, ts in per.items() if o != ch for t in ts)
        ctx = _Context(
            toks=toks,
            cues=cues[ch],
            other_cues=others,
            other_starts=other_starts,
            lex=lex,
            cased=cased,
            types=opts.types,
        )
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
    long_firsts = [w for w in by_first if len(w) >= FUZZY_CUE_LETTERS]

    def same(k: int, word: str) -> bool:
        # misheard cue words ("rekanin" for rekening) match by sound when they are long enough
        if norms[k] == word or stems[k] == word:
            return True
        return len(word) >= FUZZY_CUE_LETTERS and Levenshtein.distance(keys[k], sound_key(word)) <= 1

    keys = [sound_key(n) for n in stems]
    i = 0
    while i < len(toks):
        best = None
        cands = by_first.get(norms[i], []) or by_first.get(stems[i], [])
        if not cands and len(stems[i]) >= FUZZY_CUE_LETTERS - 1:
            cands = sorted(
                (kp for w in long_firsts if same(i, w) for kp in by_first[w]), key=lambda kp: -len(kp[1])
            )
        for kind, p in cands:
            if i + len(p) <= len(toks) and all(same(i + m, w) for m, w in enumerate(p)):
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
        tail = toks[last : last + 1 + ASK_TAIL]
        asked = any(t.raw.endswith("?") for t in tail if t.ref.segment == seg)  # "nomor rekening? Baik ..."
        asks = (len(rest) <= ASK_TAIL or asked) and not any(digit_token(t.norm) for t in rest)
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
        other_starts: list[float],
        lex: Lexicon,
        cased: bool,
        types: tuple[str, ...],
    ) -> None:
        self.toks, self.cues, self.other_cues, self.lex = toks, cues, other_cues, lex
        self.other_starts = other_starts
        self.cue_positions = {k for c in cues for k in range(c.first, c.last + 1)}
        self.cased, self.types = cased, types
        self.used = [False] * len(toks)
        self.out: list[Detection] = []
        self._answers: dict[tuple[int, int], list[int]] = {}
        self.words = [t.norm for t in toks]  # with misspelled digit words read as digits (numbers pass)
        # which words belong to a number reading, as the tokenizer of digit words reads them
        self.heard_numeric = self._numeric_flags(self.words)  # as Whisper wrote them
        self.numeric = list(self.heard_numeric)  # and with misspelled digit words read as digits
        self.spent = [False] * len(toks)  # numbers refused as not personal (amounts, order numbers)
        # Whisper writes some segments without capitals and some in Title Case; judge capitals per segment
        self.cased_segments = _cased_segments(toks)

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
            if b.start > limit or (a.ref.segment != b.ref.segment and self._pause_ends(p - 1)):
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
        norms, raws = [t.norm for t in self.toks], [t.raw for t in self.toks]
        for i, t in enumerate(self.toks):
            if self.used[i] or t.norm not in em["at"] or i == 0:
                continue
            dom = spoken_domain(norms=norms, raws=raws, used=self.used, start=i + 1, lex=self.lex)
            if dom is None:
                continue
            end, domain = dom
            first, local = spoken_local_part(norms=norms, raws=raws, used=self.used, last=i - 1, lex=self.lex)
            if first is None or not self._free(first, end):
                continue
            self._emit(EMAIL, first, end, f"{local}@{domain}", f"spoken address ({t.norm!r})")

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
        got = parse_date([t.norm for t in self.toks[p : p + DATE_TOKENS]], self.lex)
        return None if got is None else (p + got[0], got[1])

    # -- numbers ---------------------------------------------------------------------------------------
    def _numbers(self) -> None:
        toks, num = self.toks, self.lex.numbers
        self.words = [t.norm for t in toks]
        k = 0
        while k < len(toks):
            one, two = self._fuzzy_digit(k), None if self._fuzzy_digit(k) else self._fuzzy_digit(k, 2)
            if one:
                self.words[k] = one
            elif two and k + 1 < len(toks):
                # "say tu", "dala pan": written back as the digit word split in two, which the tokenizer
                # of digit words joins again
                half = len(two) // 2
                self.words[k], self.words[k + 1] = two[:half], two[half:]
                k += 1
            k += 1
        self.numeric = self._numeric_flags(self.words)
        i = 0
        while i < len(toks):
            if self.used[i] or not self.numeric[i]:
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
                if self.numeric[j + 1]:
                    last_num, garbled = j + 1, 0
                elif nxt in num.fillers or nxt in num.joiners:
                    pass
                elif garbled < tolerance and nxt not in self.lex.name_stop:
                    garbled += 1
                else:
                    break
                j += 1
            found = len(self.out)
            self._classify_run(i, last_num, cue)
            if tolerance and len(self.out) > found:
                self._widen_lead(found, i, cue)
            i = last_num + 1

    def _widen_lead(self, found: int, first: int, cue: _Cue | None) -> None:
        """Take into the number the garbled words between its cue and its first digit ("Nomor HP saya,
        nulgar apaan satu tiga ..." for "kosong delapan satu tiga"): up to RUN_GARBLED_WORDS unknown
        words in the same utterance, which the cue says are the number's start, blanked with it. Only a
        number that lacks its type's whole shape (a phone not starting 08/62, a NIK or card that is not
        valid) can have lost its start so."""
        det = next((d for d in self.out[found:] if d.words[0] == self.toks[first].ref), None)
        if det is None or cue is None or det.type not in _COMPLETE or _COMPLETE[det.type](det.value):
            return  # a whole number ("0812...", a valid NIK) lost nothing at its start
        lead = first
        while first - lead < RUN_GARBLED_WORDS and lead > 0:
            k, t = lead - 1, self.toks[lead - 1]
            if cue.channel == t.channel and k <= cue.last:
                break  # the cue itself
            if cue.channel != t.channel and t.start < cue.end:
                break  # said before the question it answers
            if (
                self.used[k]
                or self.spent[k]
                or k in self.cue_positions
                or t.ref.segment != self.toks[first].ref.segment
                or not t.norm.isalpha()
                or t.norm in self.lex.name_stop
                or t.norm in self.lex.numbers.fillers
                or t.raw.endswith((".", "?", "!"))
            ):
                break
            lead = k
        if lead == first:
            return
        span = self.toks[lead:first]
        for k in range(lead, first):
            self.used[k] = True
        self.out[self.out.index(det)] = replace(
            det,
            start=span[0].start,
            words=tuple(t.ref for t in span) + det.words,
            text=" ".join(t.raw for t in span) + " " + det.text,
        )

    def _fuzzy_digit(self, k: int, width: int = 1) -> str | None:
        """The digit word a misspelled token stands for ("sembilann", "tika", "darapan") when it sits among
        digits: one edit from a digit word of 4+ letters once both are reduced to :func:`sound_key`, with
        a number next to it. With ``width`` 2, two short fragments Whisper wrote for one word ("say tu",
        "dala pan"), each at most :data:`FRAGMENT_LETTERS` long."""
        span = self.toks[k : k + width]
        if len(span) < width or any(
            not t.norm.isalpha() or self.heard_numeric[k + m] or t.norm in self.lex.name_stop
            for m, t in enumerate(span)
        ):
            return None
        if width > 1 and any(len(t.norm) > FRAGMENT_LETTERS for t in span):
            return None
        norm, num = "".join(t.norm for t in span), self.lex.numbers
        if len(norm) < 4:
            return None
        key = sound_key(norm)
        near = [w for w in num.digits if len(w) >= 4 and Levenshtein.distance(key, sound_key(w)) <= 1]
        if len({num.digits[w] for w in near}) != 1:
            return None  # no digit word this close, or two different digits

        def numeric(p: int) -> bool:
            return 0 <= p < len(self.toks) and self.heard_numeric[p]

        return near[0] if numeric(k - 1) or numeric(k + width) else None

    def _breaks(self, j: int) -> bool:
        """True when a number being read out cannot go on past word ``j``: a new utterance that does not
        go on with digits, or the end of a sentence followed by something that is not a number."""
        a, b = self.toks[j], self.toks[j + 1]
        if a.ref.segment != b.ref.segment and self._pause_ends(j):
            return True
        return a.raw.endswith((".", "?", "!")) and not self.numeric[j + 1]

    def _pause_ends(self, j: int) -> bool:
        """True when the pause after word ``j`` (the last of its utterance) ends what was being said: the
        other side spoke, the pause is long, or after a short pause the next utterance does not start with
        a number, or with one or two unknown words and a number ("4532, [pause] nolsa tu lima" goes on)."""
        a, b = self.toks[j], self.toks[j + 1]
        gap = b.start - a.end
        if gap >= RUN_MAX_PAUSE or a.raw.endswith(("?", "!")):
            return True
        k = bisect.bisect_left(self.other_starts, a.end)
        if k < len(self.other_starts) and self.other_starts[k] < b.start:
            return True  # "... 3962 1" / agent: "card number?" / "5529 ...": two numbers

        def digit(p: int) -> bool:
            return p < len(self.toks) and (self.numeric[p] or bool(self._fuzzy_digit(p)))

        if a.raw.endswith("."):
            # Whisper writes digit groups read with pauses as sentences ("Tiga satu tujuh empat. Nol lima
            # satu dua."): a sentence that ends on a digit goes on when the next one starts with one
            return not (self.numeric[j] and digit(j + 1))
        if gap < RUN_BREAK_GAP:
            return False

        # up to two garbled words first may still be the number ("nolsa tu lima"); a cue or a known word
        # ("Tagihannya dua ratus ribu") starts something else
        for p in range(j + 1, min(j + 2 + RUN_GARBLED_WORDS, len(self.toks))):
            if digit(p):
                return False
            if p in self.cue_positions or self.toks[p].norm in self.lex.name_stop:
                return True
        return True

    def _numeric_flags(self, words: Sequence[str]) -> list[bool]:
        """Per word: True when it is (part of) a number as :func:`digit_pieces` reads the channel
        ("0812", "satu", "nollima", both halves of "sa tu")."""
        num = self.lex.numbers
        flags = [False] * len(words)
        for p in digit_pieces(words, num):
            if digit_token(p.word) is not None or num.is_number_word(p.word):
                for k in range(p.first, p.last + 1):
                    flags[k] = True
        return flags

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
                typed = type_of_number(digits, cue, self.types)
                if typed is None:
                    continue
                kind, strength, why = typed
                score = (strength, len(digits))
                if best is None or score > best[0]:
                    best = (score, a, b, kind, why)
        if best is None:
            return
        _, a, b, kind, why = best
        # digits left over beside it, too few to be anything, are part of the same reading: blank them too
        if 0 < sum(len(x.digits) for x in atoms[lo:a]) < MIN_DIGITS:
            a = lo
        if 0 < sum(len(x.digits) for x in atoms[b + 1 : hi]) < MIN_DIGITS:
            b = hi - 1
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
            skip = lex.numbers.fillers | lex.name_openers
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


TITLE_CASE_SHARE = 0.7  # of a segment's words inside a sentence: this many capitalised is Title Case
TITLE_CASE_MIN_WORDS = 3  # words inside sentences needed to call a segment Title Case


def _cased_segments(toks: Sequence[_Token]) -> dict[int, bool]:
    """Per segment: do its capitals tell names from words?

    No when it has none, and no when it is written in Title Case ("Internet Saya Mati Sejak Kemarin."):
    Whisper does that to whole segments, and the weak cue "saya" would then take "Mati Sejak Kemarin" for a
    name and redact the complaint. Only words inside a sentence count; its first word is capitalised anyway.
    """
    words: dict[int, list[bool]] = {}
    has_caps: dict[int, bool] = {}
    prev_end = True
    prev_seg: int | None = None
    for t in toks:
        seg = t.ref.segment
        if seg != prev_seg:
            prev_end, prev_seg = True, seg
        word = t.raw.strip(_PUNCT)
        has_caps[seg] = has_caps.get(seg, False) or any(ch.isupper() for ch in t.raw)
        if word[:1].isalpha() and not prev_end:
            words.setdefault(seg, []).append(word[0].isupper())
        prev_end = t.raw.rstrip().endswith(_SENTENCE_END)
    out = {}
    for seg, caps in has_caps.items():
        inner = words.get(seg, [])
        title = len(inner) >= TITLE_CASE_MIN_WORDS and sum(inner) >= TITLE_CASE_SHARE * len(inner)
        out[seg] = caps and not title
    return out
