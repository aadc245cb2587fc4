"""Numbers as they are read out on the phone, and the checks that tell an identifier from any number.

Whisper writes a phone number read out as "0812-3456-7890", "0812 3456 7890", "kosong delapan satu dua tiga
empat ..." or a mix ("0812 tiga empat lima enam"); people group digits ("dua puluh tiga" for 2-3, "seratus"
for 1-0-0). :func:`number_atoms` turns such a run of words into digit strings, one atom per written number
or per spoken compound, so the detector can try sub-runs at atom boundaries. The checks are pure functions:
:func:`luhn_valid` (payment cards), :func:`nik_valid` (the NIK's region and birth-date structure),
:func:`phone_shape` (Indonesian mobile and landline numbers).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import NumberWords
from .types import ACCOUNT, CARD, KK, NIK, PHONE

NIK_LENGTH = 16  # digits of a NIK or KK number
CARD_LENGTHS = range(13, 20)  # digits of a payment card number (ISO/IEC 7812)
FEMALE_DAY_OFFSET = 40  # a woman's NIK adds 40 to the birth day

# Province codes in use (Kemendagri: 11-19 Sumatra, 21 Riau Islands, 31-36 Java, 51-53 Bali/Nusa Tenggara,
# 61-65 Kalimantan, 71-76 Sulawesi, 81-82 Maluku, 91-97 Papua incl. the 2022 provinces).
PROVINCE_CODES = frozenset(
    [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53]
    + [61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97]
)

_DIGIT_TOKEN = re.compile(r"^\+?\d(?:[\d.\-/,()]*\d)?$")
_MOBILE = re.compile(r"^(?:0|62)8[1-9]\d{6,11}$")  # 08xx / 628xx, 10-14 digits with the leading 0
_LANDLINE = re.compile(r"^(?:0|62)[2-79]\d{7,10}$")  # 021-xxxx-xxxx and other area codes


@dataclass(frozen=True)
class Atom:
    """One number inside a run of words.

    Attributes:
        first: Index of its first token in the run.
        last: Index of its last token in the run (inclusive).
        digits: The digits it stands for ("0812", "23", "100").
        spoken: True when it was said in words, False when Whisper wrote digits.
    """

    first: int
    last: int
    digits: str
    spoken: bool


def digit_token(token: str) -> str | None:
    """Digits of a token Whisper wrote as a number ("0812-3456," -> "08123456"), else None."""
    t = token.strip(",.;:!?\"'()[]")
    if t.startswith("+"):
        t = t[1:]
    if not t or not _DIGIT_TOKEN.match(t):
        return None
    return re.sub(r"\D", "", t)


class _Compound:
    """A spoken compound number being read, slot by slot ("dua ribu tiga ratus dua puluh satu")."""

    def __init__(self) -> None:
        self.total = 0  # thousands and millions done
        self.hundreds = 0
        self.tens = 0
        self.unit: int | None = None
        self.has_h = self.has_t = self.closed_t = False
        self.words = 0

    def value(self) -> int:
        return self.total + self.hundreds + self.tens + (self.unit or 0)

    def sub(self) -> int:
        return self.hundreds + self.tens + (self.unit or 0)


@dataclass(frozen=True)
class Piece:
    """One word of a number reading, as the tokenizer of digit words cut it out of the tokens.

    Attributes:
        first: Index of the first token it comes from.
        last: Index of the last token it comes from (inclusive; "sa tu" is one piece from two tokens).
        word: A number word ("satu"), written digits ("0812"), or the token unchanged when it is neither.
    """

    first: int
    last: int
    word: str


SPLIT_MIN_LETTERS = 3  # number words shorter than this never stand inside a run-together word ("se")
MERGE_TOKENS = 3  # a number word Whisper split may spread over this many tokens ("sem bi lan")
_CHUNKS = re.compile(r"\d+|[^\W\d_]+")
_INNER_SEPARATORS = re.compile(r"[-.,/]+")


def split_number_word(letters: str, numbers: NumberWords) -> tuple[str, ...] | None:
    """``letters`` cut into number words when it is nothing but number words said together ("nollima" ->
    ("nol", "lima"), "duapuluh" -> ("dua", "puluh")), fewest pieces first; None when any letter is left.

    Only number words of :data:`SPLIT_MIN_LETTERS` or more count, so an ordinary word is not read as
    numbers by accident: every letter must belong to one ("satuan", "nolan", "tone" stay words).
    """
    return _split(letters, numbers.spelled)


@functools.lru_cache(maxsize=4096)
def _split(letters: str, vocab: frozenset[str]) -> tuple[str, ...] | None:
    n = len(letters)
    if n < SPLIT_MIN_LETTERS or letters[:SPLIT_MIN_LETTERS] not in _prefixes(vocab):
        return None
    longest = max(map(len, vocab), default=0)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        done = best[i]
        if done is None:
            continue
        for j in range(i + SPLIT_MIN_LETTERS, min(n, i + longest) + 1):
            w = letters[i:j]
            cand = best[j]
            if w in vocab and (cand is None or len(cand) > len(done) + 1):
                best[j] = (*done, w)
    return best[n]


@functools.lru_cache(maxsize=8)
def _prefixes(vocab: frozenset[str]) -> frozenset[str]:
    return frozenset(w[:SPLIT_MIN_LETTERS] for w in vocab if len(w) >= SPLIT_MIN_LETTERS)


def _readings(token: str, numbers: NumberWords) -> tuple[str, ...] | None:
    """The number words and digit groups one token stands for, when it is nothing else: "nol,lima",
    "satu-dua", "0812tiga", "nollima". A token that is already one number word or written digits -> itself."""
    if digit_token(token) is not None or numbers.is_number_word(token):
        return (token,)
    out: list[str] = []
    for part in _INNER_SEPARATORS.split(token):
        if "".join(_CHUNKS.findall(part)) != part:
            return None  # a letter or sign the chunks do not take ("@", "'"): not a number
        for chunk in _CHUNKS.findall(part):
            if chunk.isdigit() or numbers.is_number_word(chunk):
                out.append(chunk)
                continue
            words = split_number_word(chunk, numbers)
            if words is None:
                return None
            out.extend(words)
    return tuple(out) if out else None


def digit_pieces(tokens: Sequence[str], numbers: NumberWords) -> list[Piece]:
    """Tokens cut into the words of number readings, the way Whisper base writes spoken numbers.

    Whisper runs digit words together ("nollima", "satudua"), splits one word in two ("sa tu", "de lapan",
    "nolsa tu") and writes commas, dots or hyphens between them ("nol,lima", "satu-dua"), or mixes digits
    and words in one token ("0812tiga"). A token made only of number words gives one piece per word; a run
    of up to :data:`MERGE_TOKENS` tokens that is not numbers token by token but is when joined gives the
    pieces of the joined word. Other tokens pass through unchanged, one piece each.
    """
    out: list[Piece] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        alone = _readings(tok, numbers) if tok else None
        if alone is None and tok.isalpha():
            merged = None
            for k in range(i + 2, min(len(tokens), i + MERGE_TOKENS) + 1):  # the fewest tokens that fit
                group = tokens[i:k]
                if all(t.isalpha() for t in group):
                    words = split_number_word("".join(group), numbers)
                    if words is not None:
                        merged = (k - 1, words)
                        break
            if merged is not None:
                last, words = merged
                out.extend(Piece(i, last, w) for w in words)
                i = last + 1
                continue
        out.extend(Piece(i, i, w) for w in (alone or (tok,)))
        i += 1
    return out


def number_atoms(tokens: Sequence[str], numbers: NumberWords) -> list[Atom]:
    """Numbers in normalised tokens, read through :func:`digit_pieces` (so "nollima" is 0, 5 and "sa tu"
    is 1); each atom's ``first``/``last`` index the tokens it came from. See :func:`piece_atoms`."""
    pieces = digit_pieces(tokens, numbers)
    atoms = piece_atoms([p.word for p in pieces], numbers)
    return [Atom(pieces[a.first].first, pieces[a.last].last, a.digits, a.spoken) for a in atoms]


def piece_atoms(tokens: Sequence[str], numbers: NumberWords) -> list[Atom]:
    """Split number words into numbers: written digits, and spoken compounds read slot by slot.

    Parameters
    ----------
    tokens : lower-case words without outer punctuation; fillers and unknown words produce no atom
    numbers : the language's number words

    Returns
    -------
    Atoms in order. Digit by digit reading gives one atom per digit ("kosong delapan" -> "0", "8");
    "dua puluh tiga" gives one atom "23"; "double five" gives "5", "5".
    """
    atoms: list[Atom] = []
    cur: _Compound | None = None
    start = 0
    repeat = 1

    def close(end: int) -> None:
        nonlocal cur
        if cur is not None and cur.words:
            atoms.append(Atom(start, end, str(cur.value()), True))
        cur = None

    last = -1
    for i, tok in enumerate(tokens):
        written = digit_token(tok)
        if written is not None:
            close(last)
            for _ in range(repeat):
                atoms.append(Atom(i, i, written, False))
            repeat = 1
            last = i
            continue
        if tok in numbers.repeat:
            close(last)
            repeat = numbers.repeat[tok]
            continue
        if not numbers.is_number_word(tok):
            if not (tok in numbers.joiners and cur is not None and (cur.has_h or cur.total)):
                close(last)
            continue
        if tok in numbers.digits:
            d = numbers.digits[tok]
            if repeat > 1:
                close(last)
                for _ in range(repeat):
                    atoms.append(Atom(i, i, str(d), True))
                repeat = 1
                last = i
                continue
            fits = (
                cur is not None
                and d != 0
                and cur.unit is None
                and not cur.closed_t
                and (cur.has_t or cur.has_h or (cur.total and not cur.sub()))
            )
            if not fits:
                close(last)
                if d == 0:  # "kosong" / "oh" is always a digit of its own
                    atoms.append(Atom(i, i, "0", True))
                    last = i
                    continue
                cur = _Compound()
                start = i
            assert cur is not None
            cur.unit = d
            cur.words += 1
            last = i
            continue
        # multipliers and whole-number words
        if cur is not None and tok in numbers.teen and cur.unit is not None and not cur.has_t:
            cur.tens, cur.unit, cur.has_t, cur.closed_t = 10 + cur.unit, None, True, True
        elif cur is not None and tok in numbers.tens and cur.unit is not None and not cur.has_t:
            cur.tens, cur.unit, cur.has_t = cur.unit * 10, None, True
        elif (
            cur is not None
            and tok in numbers.hundred
            and cur.unit is not None
            and not cur.has_h
            and not cur.has_t
        ):
            cur.hundreds, cur.unit, cur.has_h = cur.unit * 100, None, True
        elif cur is not None and (tok in numbers.thousand or tok in numbers.million) and cur.sub():
            mult = 1000 if tok in numbers.thousand else 1_000_000
            cur.total += cur.sub() * mult
            cur.hundreds = cur.tens = 0
            cur.unit, cur.has_h, cur.has_t, cur.closed_t = None, False, False, False
        elif tok in numbers.words:
            v = numbers.words[tok]
            fits = cur is not None and cur.unit is None and not cur.has_t
            if fits and v < 100:
                assert cur is not None
                fits = cur.has_h or bool(cur.total and not cur.sub())
            elif fits and v >= 100:
                assert cur is not None
                fits = v < 1000 and not cur.has_h and bool(cur.total) and not cur.sub()
            if not fits:
                close(last)
                cur = _Compound()
                start = i
            assert cur is not None
            if v >= 1000:
                cur.total += v
            elif v >= 100:
                cur.hundreds, cur.has_h = v, True
            else:
                cur.tens, cur.has_t = v, True
                # "sepuluh"/"eleven" take no unit after them; "twenty" does
                cur.closed_t = v < 20 or v % 10 != 0
        else:
            # a multiplier with nothing to multiply ("ratus" alone): the number it names
            close(last)
            mult = 100 if tok in numbers.hundred else 1000 if tok in numbers.thousand else 10
            if tok in numbers.million:
                mult = 1_000_000
            atoms.append(Atom(i, i, str(mult), True))
            last = i
            continue
        cur.words += 1
        last = i
    close(last)
    return atoms


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` passes the Luhn checksum that every payment card number carries."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_shape(digits: str) -> bool:
    """True for a plausible payment card: 13-19 digits, a card network's first digit, Luhn valid."""
    return len(digits) in CARD_LENGTHS and digits[0] in "23456" and luhn_valid(digits)


def nik_valid(digits: str) -> bool:
    """True when 16 digits have a NIK's structure.

    Province code (digits 1-2) in use, regency (3-4) and district (5-6) not 00, birth day (7-8) 01-31 or
    41-71 for women, month (9-10) 01-12, serial (13-16) not 0000. A KK number has the same region part and
    an issue date (never +40) in the same place, so it passes too; cues tell the two apart.
    """
    if len(digits) != NIK_LENGTH or not digits.isdigit():
        return False
    province, regency, district = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    day, month, serial = int(digits[6:8]), int(digits[8:10]), int(digits[12:16])
    if province not in PROVINCE_CODES or regency == 0 or district == 0 or serial == 0:
        return False
    if not (1 <= day <= 31 or 1 + FEMALE_DAY_OFFSET <= day <= 31 + FEMALE_DAY_OFFSET):
        return False
    return 1 <= month <= 12


def nik_prefix_valid(digits: str) -> bool:
    """True when the first 12 of 14-18 digits have a NIK's region and birth-date structure: a NIK read out
    with one digit lost or doubled in its serial part (or a KK number with its issue date)."""
    if not (NIK_LENGTH - 2 <= len(digits) <= NIK_LENGTH + 2) or not digits.isdigit():
        return False
    return nik_valid(digits[:12] + "0001")


def phone_shape(digits: str) -> bool:
    """True for an Indonesian mobile (08.., 628..) or landline (021.., 6221..) number."""
    return bool(_MOBILE.match(digits) or _LANDLINE.match(digits))


def mobile_shape(digits: str) -> bool:
    """True for an Indonesian mobile number, the shape safe to flag without any cue."""
    return bool(_MOBILE.match(digits))


# digits a number must have to be typed by its cue (loose: one or two digits lost or doubled by the ASR)
CUE_LENGTHS: dict[str, range] = {
    NIK: range(14, 19),
    KK: range(14, 19),
    CARD: range(12, 20),
    ACCOUNT: range(6, 21),
    PHONE: range(8, 16),
}


# Sounds Whisper confuses in Indonesian speech: r/l, the schwa written e or a, voiced/voiceless stops.
_SOUND_MAP = str.maketrans({"r": "l", "e": "a", "p": "b", "d": "t", "g": "k", "v": "f"})


def sound_key(word: str) -> str:
    """``word`` with confusable sounds merged ("darapan" and "delapan" both -> "talaban")."""
    return word.lower().translate(_SOUND_MAP)


def type_of_number(digits: str, cue: str | None, types: tuple[str, ...]) -> tuple[str, int, str] | None:
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
    if cue in (NIK, KK) and cue in types and n != NIK_LENGTH and nik_prefix_valid(digits):
        # asked for a NIK, heard one digit short or long: its region and birth date still say NIK, and
        # that outranks a Luhn pass or a phone shape found inside it by chance
        return cue, 2, f"NIK region and birth date, {n} digits after a {cue} cue"
    if cue is not None and cue in types and n in CUE_LENGTHS[cue]:
        return cue, 1, f"{n} digits after a {cue} cue"
    for kind, why in structural:
        if kind in types and cue not in (ACCOUNT,):
            # a structure the cue does not name ("NIK saya" before 13 Luhn-valid digits) is as weak as the
            # cue's own reading; the longer reading wins
            return kind, 1 if cue in (NIK, KK) else 2, why
    return None
