"""Labelled personal-data set: spoken-style call transcripts, as Whisper base would write them, with truth.

    python benchmarks/pii_set.py            # rewrites benchmarks/data/pii/{dev,test}.jsonl (seeded)
    python benchmarks/pii_set.py --check    # exit 1 when the committed files differ from a fresh build

Every call is our own text (no public data): agent and customer turns on two channels, Indonesian (about
three in four) and English. Personal data is drawn at random (valid NIK structure, Luhn-valid cards, 08..
mobiles, bank accounts, e-mails, birth dates, names) and written the ways Whisper writes speech: digits in
one word or in groups, hyphenated, read out word by word ("kosong delapan ..."), read in pairs ("dua puluh
tiga"), mixed, with fillers, a dropped or doubled digit, a misspelled digit word, lower-cased names, e-mail
read as "at"/"et"/"titik"/"dot". Negatives sit in the same calls: order, ticket and customer numbers,
amounts, times, durations, dates that are not birth dates, product and brand names.

The generator's spelling errors are written independently of the detector's lexicon, and a share of them
are ones the lexicon does not know (so the set can show misses). Calls alternate dev/test by a seeded draw;
tune on dev, report both.

JSONL, one call per line: ``{"id", "language", "split", "turns": [{"channel", "words", "tags"}]}`` where
``tags[i]`` is "" or "<type>:<instance>" for the word ``words[i]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "data" / "pii"
SEED = 15
N_CALLS = 160
EN_SHARE = 0.25

ID_DIGITS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
EN_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# how Whisper base misspells digit words in fast speech: some the detector's lexicon knows, some not
ID_SLIPS = {"empat": ["mpat", "empat"], "delapan": ["lapan", "dlapan"], "tujuh": ["tuju"], "enam": ["nam"]}
ID_UNKNOWN_SLIPS = {"sembilan": ["sembilann"], "delapan": ["delpan"], "empat": ["empet"], "tiga": ["tika"]}
# how Whisper base wrote digit words it heard read out with pauses (benchmarks/pii_audio.py transcripts):
# a word split in syllables, a misheard word, two words run together, commas or full stops between groups
ID_HEARD_SPLITS = {
    "satu": ["sa tu", "say tu"],
    "delapan": ["de lapan", "de la pan", "dala pan"],
    "sembilan": ["sem bilan"],
    "empat": ["em pat"],
    "tujuh": ["tu juh", "tu du"],  # "tu du": heard for espeak's "tujuh", a reading nothing can undo
    "tiga": ["ti ga"],
    "lima": ["li ma"],
    "enam": ["e nam"],
}
ID_HEARD_SLIPS = {
    "delapan": ["darapan", "dilapan", "dalapan"],
    "sembilan": ["sambilan", "sempiran"],
    "tiga": ["tika"],
    "enam": ["aham"],
    "tujuh": ["tuju"],
}
N_HEARD_CALLS = 40  # calls whose numbers are mostly written the heard way, drawn after the others
ID_TENS = {2: "dua puluh", 3: "tiga puluh", 4: "empat puluh", 5: "lima puluh", 6: "enam puluh"}

GIVEN = [
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Rizky",
    "Putri",
    "Andi",
    "Rina",
    "Joko",
    "Sri",
    "Hendra",
    "Fitri",
    "Dimas",
    "Ayu",
    "Bayu",
    "Indah",
    "Fajar",
    "Wulan",
    "Yusuf",
    "Nur",
    "Eko",
    "Lestari",
    "Teguh",
    "Mega",
    "Arif",
    "Ratna",
    "Imam",
    "Yanti",
    "Rudi",
    "Dian",
]
FAMILY = [
    "Santoso",
    "Wijaya",
    "Hidayat",
    "Saputra",
    "Lestari",
    "Pratama",
    "Kusuma",
    "Nugroho",
    "Siregar",
    "Simanjuntak",
    "Harahap",
    "Nasution",
    "Setiawan",
    "Gunawan",
    "Wibowo",
    "Hakim",
]
EN_GIVEN = ["John", "Mary", "David", "Sarah", "Michael", "Emma", "James", "Linda", "Peter", "Grace"]
EN_FAMILY = ["Smith", "Brown", "Taylor", "Wilson", "Clarke", "Walker", "Hughes", "Turner"]
AGENTS = ["Rina", "Dewi", "Fajar", "Sinta", "Anton", "Maya", "Tono", "Laras"]
CITIES = ["Jakarta", "Bandung", "Surabaya", "Medan", "Semarang", "Makassar", "Yogyakarta", "Palembang"]
PRODUCTS = [
    "Indihome",
    "Telkomsel",
    "Halo",
    "Tokopedia",
    "Shopee",
    "GoPay",
    "OVO",
    "BCA Mobile",
    "Livin",
    "MyTelkomsel",
    "Biznet",
    "First Media",
    "Kartu Halo",
    "Simpati",
    "XL",
    "Smartfren",
]
BANKS = ["BCA", "Mandiri", "BRI", "BNI", "CIMB", "Permata", "BSI", "Danamon"]
DOMAINS = [["gmail", "com"], ["yahoo", "com"], ["yahoo", "co", "id"], ["outlook", "com"], ["hotmail", "com"]]
ID_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
PROVINCES = [11, 12, 13, 14, 16, 18, 31, 32, 33, 34, 35, 36, 51, 52, 61, 64, 71, 73, 81, 91]

Words = list[tuple[str, str]]  # (word, tag)


class Call:
    """A call being written: turns of (word, tag) on two channels."""

    def __init__(self, cid: str, lang: str) -> None:
        self.id, self.lang = cid, lang
        self.turns: list[tuple[int, Words]] = []
        self.n = 0
        self.lower = False
        self.heard = False  # numbers written the way Whisper base wrote digits read out with pauses

    def say(self, channel: int, *parts: str | Words) -> None:
        words: Words = []
        for p in parts:
            words.extend([(w, "") for w in p.split()] if isinstance(p, str) else p)
        merged: Words = []
        for w, t in words:  # Whisper attaches punctuation to the word before it
            if w in (".", ",", "?") and merged:
                merged[-1] = (merged[-1][0] + w, merged[-1][1])
            elif w:
                merged.append((w, t))
        self.turns.append((channel, merged))

    def tag(self, kind: str, words: list[str]) -> Words:
        self.n += 1
        return [(w, f"{kind}:{self.n}") for w in words]

    def to_json(self, split: str) -> dict[str, object]:
        if self.lower:  # Whisper sometimes writes a whole call without capitals
            self.turns = [(ch, [(w.lower(), t) for w, t in ws]) for ch, ws in self.turns]
        return {
            "id": self.id,
            "language": self.lang,
            "split": split,
            "turns": [
                {"channel": ch, "words": [w for w, _ in ws], "tags": [t for _, t in ws]}
                for ch, ws in self.turns
            ],
        }


# -- values -----------------------------------------------------------------------------------------------
def luhn_complete(body: str) -> str:
    """``body`` plus the Luhn check digit."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def make_nik(r: random.Random, *, kk: bool = False) -> str:
    day = r.randint(1, 28) + (0 if kk or r.random() < 0.5 else 40)
    return (
        f"{r.choice(PROVINCES):02d}{r.randint(1, 79):02d}{r.randint(1, 40):02d}"
        f"{day:02d}{r.randint(1, 12):02d}{r.randint(60, 99) if not kk else r.randint(5, 24):02d}"
        f"{r.randint(1, 2999):04d}"
    )


def make_card(r: random.Random) -> str:
    first = r.choice(["4", "5", "4", "3"])
    n = 15 if first == "3" else 16
    if first == "3":
        prefix = r.choice(["34", "37"])
    elif first == "5":
        prefix = f"5{r.randint(1, 5)}"
    else:
        prefix = "4"
    body = prefix + "".join(str(r.randint(0, 9)) for _ in range(n - 1 - len(prefix)))
    return luhn_complete(body)


def make_phone(r: random.Random) -> str:
    return (
        "08"
        + r.choice(["11", "12", "13", "21", "22", "52", "53", "56", "57", "77", "78", "95", "96", "81"])
        + "".join(str(r.randint(0, 9)) for _ in range(r.choice([6, 7, 8, 8])))
    )


def make_account(r: random.Random) -> str:
    return str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(r.choice([9, 9, 12, 14])))


# -- how Whisper writes a number ------------------------------------------------------------------------
def spell_digits(r: random.Random, digits: str, lang: str, *, unknown_slips: bool) -> list[str]:
    out = []
    for ch in digits:
        if lang == "en":
            w = EN_DIGITS[int(ch)]
            if ch == "0" and r.random() < 0.5:
                w = "oh"
        else:
            w = ID_DIGITS[int(ch)]
            if ch == "0" and r.random() < 0.7:
                w = "kosong"
            if w in ID_SLIPS and r.random() < 0.15:
                w = r.choice(ID_SLIPS[w])
            elif unknown_slips and w in ID_UNKNOWN_SLIPS and r.random() < 0.3:
                w = r.choice(ID_UNKNOWN_SLIPS[w])
        out.append(w)
    return out


def pair_words(r: random.Random, pair: str) -> list[str]:
    """An Indonesian digit pair read as a number ("23" -> "dua puluh tiga"), digit words otherwise."""
    a, b = int(pair[0]), int(pair[1])
    if a in ID_TENS and b:
        return [*ID_TENS[a].split(), ID_DIGITS[b]]
    if a == 1 and b > 1:
        return [ID_DIGITS[b], "belas"]
    return spell_digits(r, pair, "id", unknown_slips=False)


def groups(digits: str, r: random.Random) -> list[str]:
    sizes = r.choice([[4, 4, 4, 4], [4, 4, 4], [3, 4, 4], [4, 3, 3], [2, 2, 2, 2]])
    out, i = [], 0
    for s in sizes:
        if i >= len(digits):
            break
        out.append(digits[i : i + s])
        i += s
    if i < len(digits):
        out.append(digits[i:])
    return [g for g in out if g]


def write_heard(r: random.Random, digits: str) -> list[str]:
    """Words Whisper base wrote for Indonesian digits read out in groups with pauses: digit words split in
    syllables ("sa tu"), misheard ("darapan"), run together ("nollima"), groups ended by a comma or by a
    full stop with the next group capitalised, sometimes the first group in digits."""
    gs = groups(digits, r)
    out: list[str] = []
    for n, g in enumerate(gs):
        if n == 0 and r.random() < 0.15:
            words = [g]
        else:
            words = []
            for ch in g:
                w = "kosong" if ch == "0" and r.random() < 0.3 else ID_DIGITS[int(ch)]
                roll = r.random()
                if w in ID_HEARD_SPLITS and roll < 0.2:
                    words += r.choice(ID_HEARD_SPLITS[w]).split()
                    continue
                if w in ID_HEARD_SLIPS and roll < 0.35:
                    w = r.choice(ID_HEARD_SLIPS[w])
                if words and words[-1].isalpha() and words[-1] in ID_DIGITS and r.random() < 0.2:
                    words[-1] += w  # "nol lima" heard as one word, "nollima"
                else:
                    words.append(w)
        end = r.choices([",", ".", ""], weights=[5, 3, 2])[0]
        if out and out[-1].endswith("."):
            words[0] = words[0].capitalize()
        out += words[:-1] + [words[-1] + end]
    out[-1] = out[-1].rstrip(",.")
    return out


def write_number(
    r: random.Random, digits: str, lang: str, *, asr_slip: bool, heard: bool = False
) -> list[str]:
    """Words Whisper would write for ``digits`` read out (``heard``: mostly the way Whisper base wrote
    digits read out with pauses, :func:`write_heard`)."""
    if heard and lang == "id" and not digits.startswith("+") and r.random() < 0.7:
        return write_heard(r, digits)
    if digits.startswith("+"):
        words = write_number(r, digits[1:], lang, asr_slip=asr_slip)
        return ["+" + words[0], *words[1:]] if words[0][0].isdigit() else ["plus", *words]
    if asr_slip and r.random() < 0.5:
        k = r.randrange(1, len(digits))  # one digit lost or doubled by the recogniser
        digits = digits[:k] + digits[k + 1 :] if r.random() < 0.6 else digits[:k] + digits[k] + digits[k:]
    style = r.choices(
        ["one", "groups", "hyphen", "words", "mixed", "pairs", "groups_comma", "filler"],
        weights=[3, 5, 2, 5, 2, 2 if lang == "id" else 0, 2, 2],
    )[0]
    if style == "one":
        return [digits + r.choice(["", "", "."])]
    if style == "groups":
        return groups(digits, r)
    if style == "hyphen":
        return ["-".join(groups(digits, r))]
    if style == "groups_comma":
        gs = groups(digits, r)
        return [g + "," for g in gs[:-1]] + [gs[-1]]
    if style == "words":
        return spell_digits(r, digits, lang, unknown_slips=r.random() < 0.15)
    if style == "mixed":
        k = r.choice([2, 4])
        return [digits[:k]] + spell_digits(r, digits[k:], lang, unknown_slips=False)
    if style == "pairs":
        out: list[str] = []
        i = 0
        while i < len(digits):
            if i + 2 <= len(digits) and digits[i] != "0" and r.random() < 0.6:
                out += pair_words(r, digits[i : i + 2])
                i += 2
            else:
                out += spell_digits(r, digits[i], "id", unknown_slips=False)
                i += 1
        return out
    # filler inside the number
    gs = groups(digits, r)
    k = r.randrange(1, len(gs)) if len(gs) > 1 else 1
    return gs[:k] + [r.choice(["eh", "ee"] if lang == "id" else ["uh", "um"])] + gs[k:]


def write_email(r: random.Random, given: str, family: str, lang: str) -> list[str]:
    local_parts = r.choice(
        [
            [given.lower()],
            [given.lower(), family.lower()],
            [given.lower() + family.lower()],
            [given.lower(), str(r.randint(1, 99))],
            [given.lower() + str(r.randint(70, 99))],
        ]
    )
    domain = r.choice(DOMAINS)
    if r.random() < 0.2:  # Whisper writes the address itself
        sep = r.choice([".", "_"])
        return [sep.join(local_parts) + "@" + ".".join(domain)]
    dot = r.choice(["titik", "titik", "dot", "."] if lang == "id" else ["dot", "dot", "."])
    at = r.choice(["at", "at", "et", "@"] if lang == "id" else ["at", "at", "@"])
    words: list[str] = []
    if len(local_parts) == 2:
        if local_parts[1].isdigit():
            words += [local_parts[0], local_parts[1]]
        else:
            words += [local_parts[0], r.choice([dot, "underscore"]), local_parts[1]]
    else:
        words += local_parts
    words.append(at)
    if r.random() < 0.3:
        words.append(r.choice([".".join(domain), ".".join(domain).capitalize()]))
    else:
        words.append(domain[0] if r.random() < 0.7 else domain[0].capitalize())
        for label in domain[1:]:
            words += [dot, label]
    return words


def write_date(r: random.Random, lang: str) -> list[str]:
    day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1955, 2005)
    if lang == "en":
        style = r.choice(["md", "dm", "ord", "numeric", "spoken"])
        if style == "md":
            return [EN_MONTHS[month - 1], f"{day},", str(year)]
        if style == "dm":
            return [str(day), EN_MONTHS[month - 1], str(year)]
        if style == "ord":
            suf = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")
            return ["the", f"{day}{suf}", "of", EN_MONTHS[month - 1], str(year)]
        if style == "numeric":
            return [f"{day:02d}/{month:02d}/{year}"]
        tens = {19: "nineteen", 20: "two thousand"}
        yy = year % 100
        y_words = [tens[year // 100]] + ([] if yy == 0 else spell_en(yy))
        return [EN_MONTHS[month - 1], *spell_en(day), *y_words]
    style = r.choice(["dmy", "dmy", "numeric", "spoken", "tanggal", "short"])
    if style == "dmy":
        return [str(day), ID_MONTHS[month - 1], str(year)]
    if style == "numeric":
        return [f"{day:02d}{r.choice('-/')}{month:02d}{r.choice('-/')}{year}"]
    if style == "short":
        return [str(day), ID_MONTHS[month - 1][: r.choice([3, 20])], f"{year % 100:02d}"]
    if style == "tanggal":
        return ["tanggal", str(day), "bulan", str(month), "tahun", str(year)]
    y = year % 100
    y_words = ["sembilan", "belas"] if year < 2000 else ["dua", "ribu"]
    y_words += spell_id(y) if y else []
    return [*spell_id(day), ID_MONTHS[month - 1], *y_words]


def spell_id(n: int) -> list[str]:
    if n < 10:
        return [ID_DIGITS[n]]
    if n == 10:
        return ["sepuluh"]
    if n == 11:
        return ["sebelas"]
    if n < 20:
        return [ID_DIGITS[n - 10], "belas"]
    return [ID_DIGITS[n // 10], "puluh"] + ([ID_DIGITS[n % 10]] if n % 10 else [])


def spell_en(n: int) -> list[str]:
    small = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    if n < 20:
        return [small[n]]
    return [tens[n // 10]] + ([small[n % 10]] if n % 10 else [])


# -- scenes --------------------------------------------------------------------------------------------
def id_call(r: random.Random, c: Call) -> None:
    agent = r.choice(AGENTS)
    given, family = r.choice(GIVEN), r.choice(FAMILY)
    c.lower = r.random() < 0.12
    lower_names = r.random() < 0.08  # or a name without its capital in an otherwise cased call

    def nm(words: list[str]) -> list[str]:
        return [w.lower() for w in words] if lower_names else words

    greet = r.choice(["Selamat pagi, dengan", "Selamat siang, saya", "Halo, selamat sore, saya"])
    c.say(0, greet, c.tag("name", nm([agent + ","])), "ada yang bisa dibantu?")
    c.say(1, "Halo, saya mau tanya soal", r.choice(PRODUCTS), "saya, ada masalah.")
    scenes: list[Callable[[], None]] = []

    def name() -> None:
        style = r.random()
        if style < 0.4:
            c.say(0, "Baik, boleh saya tahu atas nama siapa?")
            c.say(1, r.choice(["Atas nama", "Nama saya", ""]), c.tag("name", nm([given, family])), ".")
        elif style < 0.7:
            c.say(1, "Nama saya", c.tag("name", nm([given, family + ","])), "Pak.")
        else:
            c.say(0, "Baik, dengan", r.choice(["Bapak", "Ibu"]), c.tag("name", nm([given])), "ya?")
        if r.random() < 0.5:
            c.say(0, "Terima kasih", r.choice(["Pak", "Bu"]), c.tag("name", nm([given + "."])))

    def nik() -> None:
        kk = r.random() < 0.25
        v = make_nik(r, kk=kk)
        kind = "kk" if kk else "nik"
        ask = "nomor kartu keluarga" if kk else r.choice(["NIK", "nomor KTP", "NIK-nya"])
        slip = r.random() < 0.15
        if r.random() < 0.6:
            c.say(0, f"Untuk verifikasi, boleh disebutkan {ask}?")
            c.say(
                1,
                r.choice(["Iya,", "Boleh,", "Ya"]),
                c.tag(kind, write_number(r, v, "id", heard=c.heard, asr_slip=slip)),
            )
        else:
            c.say(
                1,
                f"{ask.capitalize()} saya",
                c.tag(kind, write_number(r, v, "id", heard=c.heard, asr_slip=slip)),
                "Mbak.",
            )

    def phone() -> None:
        v = make_phone(r)
        if r.random() < 0.2:
            v = "62" + v[1:] if r.random() < 0.5 else "+62" + v[1:]
        slip = r.random() < 0.1
        style = r.random()
        if style < 0.4:
            c.say(0, r.choice(["Nomor HP yang bisa dihubungi?", "Boleh minta nomor WhatsApp-nya?"]))
            c.say(
                1,
                r.choice(["Iya,", "", "Oh,"]),
                c.tag("phone", write_number(r, v, "id", heard=c.heard, asr_slip=slip)),
            )
        elif style < 0.75:
            c.say(
                1,
                r.choice(["Nomor HP saya", "Hubungi saya di", "Nomor saya"]),
                c.tag("phone", write_number(r, v, "id", heard=c.heard, asr_slip=slip)),
                "ya Mbak.",
            )
        else:  # no cue at all: the agent reads it back
            c.say(
                0,
                "Baik saya ulangi,",
                c.tag("phone", write_number(r, v, "id", heard=c.heard, asr_slip=False)),
                "benar?",
            )

    def card() -> None:
        v = make_card(r)
        slip = r.random() < 0.1
        if r.random() < 0.6:
            c.say(0, r.choice(["Nomor kartu kreditnya berapa?", "Boleh sebutkan nomor kartunya?"]))
            c.say(1, c.tag("card", write_number(r, v, "id", heard=c.heard, asr_slip=slip)))
        else:
            c.say(
                1,
                "Kartu kredit saya",
                c.tag("card", write_number(r, v, "id", heard=c.heard, asr_slip=False)),
                "kena tagihan dobel.",
            )

    def account() -> None:
        v = make_account(r)
        if r.random() < 0.5:
            c.say(0, "Nomor rekening tujuannya berapa Bu?")
            c.say(
                1,
                r.choice(["", "Rekening", BANKS[0]]),
                c.tag("account", write_number(r, v, "id", heard=c.heard, asr_slip=False)),
            )
        else:
            c.say(
                1,
                r.choice(["Nomor rekening saya", "No rek saya", "Rekening saya di", "Rekening"]),
                *([r.choice(BANKS)] if r.random() < 0.4 else []),
                c.tag("account", write_number(r, v, "id", heard=c.heard, asr_slip=False)),
                ".",
            )

    def email() -> None:
        words = write_email(r, given, family, "id")
        if r.random() < 0.5:
            c.say(0, "Alamat emailnya?")
            c.say(1, "Email saya", c.tag("email", words))
        else:
            c.say(1, "Kirim ke email saya saja,", c.tag("email", words), ".")

    def birth() -> None:
        words = write_date(r, "id")
        style = r.random()
        if style < 0.4:
            c.say(0, "Tanggal lahirnya?")
            c.say(1, c.tag("birth_date", words))
        elif style < 0.7:
            c.say(1, "Saya lahir tanggal", c.tag("birth_date", [w for w in words if w != "tanggal"]))
        else:
            c.say(1, "Tempat tanggal lahir", r.choice(CITIES) + ",", c.tag("birth_date", words))

    scenes = [name, nik, phone, card, account, email, birth]
    r.shuffle(scenes)
    for s in scenes[: r.randint(3, 6)]:
        s()
        if r.random() < 0.7:
            negative_id(r, c)
    c.say(0, "Baik, terima kasih sudah menghubungi kami.")


# products, places and days the detector's lexicon does not list, said after "dengan"/"saya"/"Pak"
UNLISTED = ["Speedy", "Flash", "Orbit", "Simas", "Kopkar", "Cilandak", "Depok", "Senin", "Jumat", "Gold"]


def negative_id(r: random.Random, c: Call) -> None:
    k = r.randrange(16)
    if k >= 10:
        hard_negative_id(r, c, k - 10)
        return
    if k == 0:
        c.say(1, "Nomor pesanan saya", " ".join(groups(str(r.randint(10**11, 10**12 - 1)), r)), ".")
    elif k == 1:
        c.say(
            1,
            "Saya sudah transfer",
            r.choice(["Rp 1.500.000", "Rp250.000", "satu juta lima ratus ribu rupiah"]),
            "kemarin.",
        )
    elif k == 2:
        c.say(
            0,
            "Mohon ditunggu",
            r.choice(["2x24 jam", "dua kali dua puluh empat jam", "tiga hari kerja"]),
            "ya.",
        )
    elif k == 3:
        c.say(1, f"Tanggal {r.randint(1, 28)} {r.choice(ID_MONTHS)} kemarin internet mati dari jam 10.30.")
    elif k == 4:
        c.say(
            0,
            "Nomor tiket laporannya",
            " ".join(spell_digits(r, str(r.randint(10**7, 10**8)), "id", unknown_slips=False)),
            ".",
        )
    elif k == 5:
        c.say(1, "Saya pakai paket", r.choice(PRODUCTS), str(r.choice([20, 30, 50, 100])), "Mbps.")
    elif k == 6:
        c.say(0, "Silakan hubungi call center kami di 14045 atau 1500 888.")
    elif k == 7:
        c.say(1, "Nomor pelanggan saya", str(r.randint(10**11, 10**12 - 1)), "dari", r.choice(PRODUCTS) + ".")
    elif k == 8:
        c.say(
            1,
            "Tagihannya",
            r.choice(["tiga ratus dua puluh ribu", "Rp 320.000", "dua ratus lima puluh ribu rupiah"]),
            "bulan ini.",
        )
    else:
        c.say(
            0,
            "Kode promonya",
            f"HEMAT{r.randint(10, 99)}",
            "berlaku sampai tanggal",
            str(r.randint(1, 28)),
            r.choice(ID_MONTHS) + ".",
        )


def hard_negative_id(r: random.Random, c: Call, k: int) -> None:
    """Negatives built to look like personal data: long numbers without a cue, product names after name
    cues, dates and numbers right after a personal-data question has been answered."""
    if k == 0:  # a meter or contract number: 11-12 digits, no cue the detector knows
        c.say(1, "ID meteran listrik saya", " ".join(groups(str(r.randint(10**10, 10**12 - 1)), r)), ".")
    elif k == 1:
        c.say(1, "Ada masalah dengan", r.choice(UNLISTED), "saya sejak kemarin.")
    elif k == 2:
        c.say(1, "Saya", r.choice(["Senin", "Jumat", "kemarin"]), "sudah telepon ke sini.")
    elif k == 3:
        c.say(
            0,
            "Promo berlaku dari tanggal",
            str(r.randint(1, 28)),
            r.choice(ID_MONTHS),
            str(r.choice([2025, 2026])),
            ".",
        )
    elif k == 4:
        c.say(1, "Saya transfer", " ".join(groups(str(r.randint(10**6, 10**8)), r)), "rupiah.")
    else:
        c.say(
            0,
            "Nomor referensinya",
            " ".join(spell_digits(r, str(r.randint(10**11, 10**13)), "id", unknown_slips=False)),
            ".",
        )


def en_call(r: random.Random, c: Call) -> None:
    agent = r.choice(["Anna", "Tom", "Kate", "Ben"])
    given, family = r.choice(EN_GIVEN), r.choice(EN_FAMILY)
    c.say(0, "Good morning, my name is", c.tag("name", [agent + ","]), "how can I help?")
    c.say(1, "Hi, I'm calling about my", r.choice(["bill", "card", "internet"]), ".")

    def name() -> None:
        if r.random() < 0.5:
            c.say(0, "Can I have your full name please?")
            c.say(1, r.choice(["It's", "Yes,", ""]), c.tag("name", [given, family + "."]))
        else:
            c.say(1, "My name is", c.tag("name", [given, family + "."]))
        if r.random() < 0.4:
            c.say(0, "Thank you", r.choice(["Mr", "Mrs", "Ms"]), c.tag("name", [family + "."]))

    def phone() -> None:
        v = make_phone(r)
        if r.random() < 0.3:
            v = "+62" + v[1:]
        c.say(
            1,
            r.choice(["My phone number is", "You can reach me at", "My mobile is"]),
            c.tag("phone", write_number(r, v, "en", asr_slip=r.random() < 0.1)),
            ".",
        )

    def card() -> None:
        v = make_card(r)
        c.say(0, "What is the card number?")
        c.say(1, c.tag("card", write_number(r, v, "en", asr_slip=r.random() < 0.1)))

    def account() -> None:
        c.say(
            1,
            "My account number is",
            c.tag("account", write_number(r, make_account(r), "en", asr_slip=False)),
        )

    def email() -> None:
        c.say(1, "My email is", c.tag("email", write_email(r, given, family, "en")))

    def birth() -> None:
        c.say(
            1,
            r.choice(["My date of birth is", "I was born on", "Date of birth,"]),
            c.tag("birth_date", write_date(r, "en")),
        )

    def nik() -> None:
        c.say(1, "My national ID number is", c.tag("nik", write_number(r, make_nik(r), "en", asr_slip=False)))

    scenes = [name, phone, card, account, email, birth, nik]
    r.shuffle(scenes)
    for s in scenes[: r.randint(3, 5)]:
        s()
        if r.random() < 0.7:
            negative_en(r, c)
    c.say(0, "Thanks for calling, have a good day.")


def negative_en(r: random.Random, c: Call) -> None:
    k = r.randrange(6)
    if k == 0:
        c.say(1, "My order number is", str(r.randint(10**9, 10**10)), ".")
    elif k == 1:
        c.say(
            1,
            "I paid",
            r.choice(["250 dollars", "one hundred and fifty dollars", "Rp 1.500.000"]),
            "last week.",
        )
    elif k == 2:
        c.say(0, "It should be fixed within", r.choice(["24 hours", "three days", "forty eight hours"]), ".")
    elif k == 3:
        c.say(1, f"On {r.choice(EN_MONTHS)} {r.randint(1, 28)} the internet was down from 10.30.")
    elif k == 4:
        c.say(
            0,
            "Your ticket number is",
            " ".join(
                spell_en(r.randint(1, 9)) * 1
                + spell_digits(r, str(r.randint(10**6, 10**7)), "en", unknown_slips=False)
            ),
            ".",
        )
    else:
        c.say(1, "I'm on the", r.choice(PRODUCTS), "plan with", str(r.choice([20, 50, 100])), "Mbps.")


def build(seed: int = SEED, n_calls: int = N_CALLS) -> list[dict[str, object]]:
    """The whole set, deterministic for a seed."""
    r = random.Random(seed)
    calls = []
    for i in range(n_calls):
        lang = "en" if r.random() < EN_SHARE else "id"
        c = Call(f"pii-{i:03d}", lang)
        (en_call if lang == "en" else id_call)(r, c)
        split = "dev" if r.random() < 0.5 else "test"
        calls.append(c.to_json(split))
    # its own random stream, so the calls above stay exactly as they were
    r = random.Random(seed * 1000 + 9)
    for i in range(N_HEARD_CALLS):
        c = Call(f"pii-h{i:02d}", "id")
        c.heard = True
        id_call(r, c)
        split = "dev" if r.random() < 0.5 else "test"
        calls.append(c.to_json(split))
    return calls


def render(calls: list[dict[str, object]], split: str) -> str:
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls if c["split"] == split)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--check", action="store_true", help="compare with the committed files instead of writing"
    )
    args = ap.parse_args()
    calls = build()
    ok = True
    for split in ("dev", "test"):
        path = OUT / f"{split}.jsonl"
        text = render(calls, split)
        if args.check:
            same = path.is_file() and path.read_text(encoding="utf-8") == text
            print(f"{path.relative_to(ROOT)}: {'up to date' if same else 'DIFFERS from a fresh build'}")
            ok &= same
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            n = sum(1 for c in calls if c["split"] == split)
            print(f"wrote {path.relative_to(ROOT)} ({n} calls)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
