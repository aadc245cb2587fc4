"""Meaning matching: does a sentence say what a rubric item's example utterances say?

Literal phrase lists miss the same act in other words ("maaf banget ya Pak", "sudah saya reset") and fire on
trigger words used neutrally ("habis ini saya mampir"). A phrase item may therefore carry ``examples``
(utterances that count) and ``near_misses`` (utterances that look alike but do not count). This module
decides per sentence, offline and on CPU, whether one of the examples was said:

- text is normalised (:func:`callscore.rubric.textnorm.normalize_words`) and every token reduced to a stem
  (:func:`stem`: our own Indonesian affix stripper: particles -lah/-kah/-pun, possessives -nya/-ku/-mu,
  prefixes meN-/peN-/ber-/ter-/di-/ke-/se-, suffixes -kan/-an/-i; English -ing/-ed/-s);
- an example matches a stretch of the sentence when its informative stems (weighted by rarity across all
  the rubric's examples, so "bapak" counts little and "blokir" much) are found in order-free, compact form
  (a span at most a few tokens longer than the example); the score is the weighted share found, 0..1;
  ``*`` is any content word (leading ones stand before the first stem), ``^ `` anchors at the sentence
  start (after openers like "baik Bu"), a trailing `` $`` at its end (question tags: "bisa online nggak"),
  a leading ``= `` wants it said word for word (in its order, at most one word more: "= harusnya
  ditelepon" is not "harusnya dicoba dulu sebelum telepon");
- negation is in scope: a match whose span, or the two tokens before it, holds a negator ("tidak",
  "belum", "bukan", "jangan", "tanpa", regional "ora"/"mboten"/"teu") that the example does not hold
  is not a match ("belum bisa kami bantu" does not match "bisa kami bantu");
- a near miss that matches the same words at least as well as an example (covering half its stretch, or
  its most telling word) vetoes that example, and the sentence's next best example is tried.

Evidence names the example matched and the score, so a reviewer sees why.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from callscore.resources import has_language_data, language_data
from callscore.transcript.textnorm import normalize_words

DEFAULT_MIN_MEANING = 0.8  # 0..1: weighted share of an example's stems that must be found
SPAN_SLACK = 3  # tokens: a matched span may be this much longer than the example
VERBATIM_SLACK = 1  # tokens: a "= ..." utterance (said word for word) may be said with this many words more
NEGATION_REACH = 3  # tokens: an example's negator may stand this far before the word it negates
NEGATORS = frozenset(
    {
        "tidak",
        "belum",
        "bukan",
        "jangan",
        "tak",
        # Javanese, Sundanese and Betawi forms agents and customers use in the same sentence frames
        "ora",
        "indak",
        "mboten",
        "boten",
        "dereng",
        "durung",
        "teu",
        "henteu",
        "acan",
        "tanpa",  # "tanpa kabar": without news is no news
        "without",
        "kurang",  # "kurang ngerti", "kurang tahu": not quite (but "kurang lebih" is "about", see _negated)
        "not",
        "no",
        "never",
        "nobody",
        "cannot",
        # modal negatives keep their modal ("you shouldn't have clicked" scolds, "can't" refuses)
        "cant",
        "shouldnt",
        "wouldnt",
        "couldnt",
        "mustnt",
    }
)
# discourse openers an anchored example ("^ jadi * *") may follow: "baik Bu, jadi ...", "oke kak berarti ...",
# "siap Kak, jadi ...", "terima kasih Pak, jadi ...", "waduh, jadi ..."
LEAD_FILLERS = frozenset(
    {
        "baik",
        "oke",
        "ok",
        "ya",
        "@addr",
        "nah",
        "oh",
        "mangga",
        "monggo",
        "siap",
        "sip",
        "terimakasih",  # THANKS
        "kasih",
        "wah",
        "waduh",
        "aduh",
        "astaga",
        "noted",
        "so",
        "okay",
        "right",
    }
)
# an apology may open the sentence before an anchored example, within a few words ("mohon maaf ya atas
# keterlambatannya, jadi paketnya ..."), in the languages agents apologise in
APOLOGY_OPENERS = frozenset({"mohon", "maaf", "ngapunten", "pangapunten", "hapunten", "punten", "sorry"})
APOLOGY_REACH = 6  # tokens after the apology's first word
# ends an end-anchored example ("bisa * tidak $") may be followed by: "bisa online nggak ya Pak?"
TAIL_FILLERS = frozenset({"ya", "@addr", "sih", "kah", "deh", "dong", "please", "then"})
# question tags that close a clause: a frame ending on one ("^ jadi * * ya $") may end where the tag closes
# the first clause of a longer unpunctuated sentence ("jadi ... sejak pagi ya Pak boleh nama lengkapnya")
CLAUSE_TAGS = frozenset({"ya"})
# words that open a new clause after a question tag: "bisa online nggak, atau ...", "..., soalnya ..."
CLAUSE_CONJUNCTIONS = frozenset({"atau", "soal", "karena", "tapi", "or", "because", "but"})
ADDRESS = "@addr"  # the stem every form of address shares (Pak, Bu, Kak, Anda, sir, ...)
THANKS = "terimakasih"  # the stem of "terima" in "terima kasih" (see _thanks)
CAUSE_WILDCARDS = 2  # leading "*"s from which they stand for a cause told before the stem ("* * jadi *")
WILDCARD = "*"  # in an example: any one content word ("sudah saya *" = "sudah saya blokir / reset / ...")
FUNCTION_WORD_CLASSES = (
    "pronouns",
    "auxiliaries",
    "tense_auxiliaries",
    "prepositions",
    "articles",
    "conjunctions",
    "particles",
)
EXCLAIMED = "!"  # marks a negator said as an exclamation ("oh no!"): "no" -> "no!", no longer a negator
SHORT_STEM = 3  # letters: a stem shorter than this is kept as the whole word

_ID_PARTICLES = ("lah", "kah", "tah", "pun")
_ID_POSSESSIVES = ("nya", "ku", "mu")
# roots that end in "nya" themselves: "ditanya" is di + tanya (asked), not "dita" + -nya
_ID_NYA_ROOTS = ("tanya", "punya")
_ID_NYA_PREFIXES = frozenset({"di", "ber", "ter", "se", "ke", "me", "pe", "per"})
_ID_SUFFIXES = ("kan", "an", "i")
# longest first: meng- before me-, peng- before pe-
_ID_PREFIXES = (
    ("meny", "s"),
    ("peny", "s"),
    ("meng", ""),
    ("peng", ""),
    ("mem", "p"),
    ("pem", "p"),
    ("men", "t"),
    ("pen", "t"),
    ("ber", ""),
    ("per", ""),
    ("ter", ""),
    ("mem", ""),
    ("men", ""),
    ("me", ""),
    ("pe", ""),
    ("be", ""),
    ("di", ""),
    ("ke", ""),
    ("se", ""),
)
# frequent words the stripper would damage ("kami" -> "kam", "ini" -> "in"): kept whole
_ID_KEEP = frozenset(
    [
        "kami",
        "kamu",
        "kasih",
        "terima",
        "bantu",
        "bapak",
        "ibu",
        "mbak",
        "mas",
        "kakak",
        "saya",
        "anda",
        "andai",  # "if only", "seandainya": stripped of its -i it would read as the address "Anda"
        "sini",
        "situ",
        "sana",
        "ini",
        "itu",
        "kini",
        "lagi",
        "pagi",
        "siang",
        "sore",
        "malam",
        "hari",
        "jam",
        "menit",
        "minggu",
        "bulan",
        "tahun",
        "nanti",
        "besok",
        "kemarin",
        "sekarang",
        "dulu",
        "juga",
        "sudah",
        "belum",
        "tidak",
        "bukan",
        "jangan",
        "akan",
        "bisa",
        "dapat",
        "mohon",
        "maaf",
        "tolong",
        "silakan",
        "selamat",
        "datang",
        "lain",
        "baik",
        "benar",
        "betul",
        "tentu",
        "pasti",
        "jadi",
        "berarti",
        "kalau",
        "karena",
        "supaya",
        "agar",
        "sampai",
        "masih",
        "ada",
        "apa",
        "siapa",
        "kapan",
        "mana",
        "bagaimana",
        "kenapa",
        "mengapa",
        "berapa",
        "sekali",
        "semua",
        "setiap",
        "seperti",
        "sama",
        "dengan",
        "untuk",
        "dari",
        "pada",
        "kepada",
        "oleh",
        "tapi",
        "namun",
        "atau",
        "dan",
        "yang",
        "ya",
        "iya",
        "oke",
        "nomor",
        "tiket",
        "laporan",
        "teknisi",
        "cabang",
        "kantor",
        "uang",
        "dana",
        "saldo",
        "kartu",
        "pulsa",
        "paket",
        "token",
        "listrik",
        "tagihan",
        "biaya",
        "denda",
        "klaim",
        "rekening",
        "akun",
        "aplikasi",
        "email",
        "sms",
        "sinyal",
        "internet",
        "jaringan",
        "kurir",
        "paket",
        "koper",
        "bagasi",
        "jadwal",
        "proses",
        "periksa",
        "cek",
        "ganti",
        "kirim",
        "hubungi",
        "kabari",
        "informasi",
        "sendiri",
        "betapa",
        "kursi",
        "selesai",
        "sebentar",
        "setelah",
        "sehingga",
        "sesuai",
        "serta",
        "segera",
        "semoga",
        "sebelum",
        "sesudah",
        "sekarang",
        "kemudian",
        "keluar",
        "kembali",
        "berapa",
        "bertanya",
        "teknisi",
        "petugas",
        "pesawat",
        "pesanan",
        "perlu",
        "kasihan",
        "percaya",
        "benar",
        "pernah",
        "terus",
        "tersedia",
        "penting",
        "tertentu",
        "sebab",
        "ketemu",
        "kejadian",  # not "jadi" ("so"): ke- -an and ter- make other words of it
        "terjadi",
        "selasa",
        "rabu",
        "kamis",
        "jumat",
        "sabtu",
    ]
)


# words ending in -in that are not the Jakarta verb suffix ("senin" is Monday, not "sen" + -kan)
_ID_IN_WORDS = frozenset(
    [
        "senin",
        "kemarin",
        "mesin",
        "bensin",
        "angin",
        "dingin",
        "ingin",
        "yakin",
        "izin",
        "ijin",
        "cincin",
        "mungkin",
        "miskin",
        "kawin",
        "batin",
        "admin",
        "login",
        "online",
        "offline",
        "vaksin",
        "kabin",
        "margin",
        "lain",
        "main",
        "kain",
        "musim",
    ]
)

# words that play the same part in an utterance: any form of address, any "I"
_ID_CLASSES = {
    **dict.fromkeys(
        [
            "bapak",
            "ibu",
            "kakak",
            "mbak",
            "mas",
            "teh",
            "teteh",
            "akang",
            "kang",
            "aa",
            # Minang, Balinese, Makassar and Chinese-Indonesian forms agents use the same way
            "uda",
            "uni",
            "bli",
            "daeng",
            "cici",
            "koko",
            "bro",
            "sis",
            "kaka",
            "gan",
            "bang",
            "abang",
            "tuan",
            "nyonya",
            "adik",
            "dik",
            "om",
            "tante",
            "anda",
            "ente",
            "lu",
            "lo",
            "elu",
        ],
        "@addr",
    ),
    **dict.fromkeys(["saya", "aku", "gue", "gua", "gw", "aye", "kula", "kulo", "abdi"], "saya"),
    # inclusive "we": agents say "kita" for the company as often as "kami" ("bukan dari kita")
    "kita": "kami",
    # regional function words that play the same part as the Indonesian ones the examples are written in
    **dict.fromkeys(["dados", "janten", "dadi"], "jadi"),
    **dict.fromkeys(["tiasa", "saged", "iso", "isa"], "bisa"),
    **dict.fromkeys(["sampun", "tos", "parantos"], "sudah"),
    **dict.fromkeys(["rumiyin", "riyin", "heula"], "dulu"),
    # "kabari" is kept whole (see _ID_KEEP); its Jakarta and -kan forms meet it there, not at "kabar" (news)
    **dict.fromkeys(["kabarin", "dikabarin", "ngabarin", "kabarkan", "dikabarkan", "ngabari"], "kabari"),
    # "later", "will", "come", "tomorrow", "again" in Sundanese, Javanese and Minang, so an act promised in
    # them ("engke teknisi bade sumping", "mengko teknisi teko") reads as the Indonesian examples
    **dict.fromkeys(["ntar", "entar", "ntaran", "engke", "mengko", "beko"], "nanti"),
    **dict.fromkeys(["bade", "arep", "ajeng", "badhe"], "akan"),
    **dict.fromkeys(["sumping", "teko", "rawuh", "dongkap"], "datang"),
    **dict.fromkeys(["sesuk", "mbenjang"], "besok"),
    # "info", "infokan", "informasikan" are one act: telling the customer later
    **dict.fromkeys(["info", "infokan", "diinfokan", "infoin", "diinfoin", "informasikan"], "informasi"),
    # "berkurang" (decreases) stems to "kurang", a negator: the verb forms get a stem of their own
    **dict.fromkeys(
        ["berkurang", "kekurangan", "dikurangi", "dikurangin", "mengurangi", "pengurangan", "ngurangin"],
        "kurangi",
    ),
    "dateng": "datang",
    # "ngerti" (Jakarta, Javanese) would stem to "ngert", "mengerti" to "erti": one stem for all of them
    **dict.fromkeys(
        ["ngerti", "ngertiin", "mengerti", "dimengerti", "ngarti", "mangertos", "ngertos"], "erti"
    ),
    "sekeca": "enak",  # Javanese: "mboten sekeca" = "tidak enak"
    "telas": "habis",  # Javanese
    "saking": "dari",  # Javanese
    "gela": "kecewa",  # Javanese
    "met": "selamat",  # "met pagi", "met siang": the spoken short form
    # Sundanese words that fill the same slots as the Indonesian ones ("aya * nu ruksak": "ada * yang rusak")
    "aya": "ada",
    "ruksak": "rusak",
    "kaserang": "kena",
    **dict.fromkeys(["damel", "damelke", "damelaken", "ndamelke"], "buat"),
    **dict.fromkeys(["anter", "dianter", "nganter", "nganterin", "anterin"], "antar"),
    **dict.fromkeys(["piyambak", "piyambakipun", "nyalira", "sorangan"], "sendiri"),
    # Sundanese and Jakarta ng- forms of "kawal" (see it through), Javanese "tandhani" (mark)
    **dict.fromkeys(["ngawal", "ngawalan", "ngawalin", "dikawal"], "kawal"),
    # Sundanese and Javanese words of a next step: "tiasa dipundut ti puskesmas dinten ieu" is "bisa diambil
    # dari puskesmas hari ini", "kula tandhani supados" "saya tandai supaya" ("deui", "malih": "lagi" is
    # left alone, or "aya deui" / "wonten malih" would read order-free as "lagi ada")
    **dict.fromkeys(["dipundut", "dicandak", "dipendhet", "mundut", "nyandak", "mendhet"], "ambil"),
    "ti": "dari",
    "ka": "ke",
    "dhateng": "ke",
    **dict.fromkeys(["dinten", "dinteun"], "hari"),
    **dict.fromkeys(["ieu", "menika", "niki", "puniki"], "ini"),
    # "pastikan" (make sure) is an act, "pasti" (surely) names a feeling ("pasti kesal"): two stems, or
    # "saya pastikan Bapak bisa login" reads as the empathy "pasti * ya"
    **dict.fromkeys(
        ["pastikan", "memastikan", "dipastikan", "pastiin", "dipastiin", "mastiin", "mastikeun"], "pastikan"
    ),
    **dict.fromkeys(["ngantos", "dugi"], "sampai"),  # Javanese, Sundanese "until, to the point of"
    "pisan": "sekali",  # Sundanese "very"
    # times of day in Javanese and Sundanese, and the Sundanese -an form of "kabari": a time frame said in
    # them ("dinten menika sonten" = "hari ini sore") reads as one
    **dict.fromkeys(["sonten", "sore"], "sore"),  # "sore" kept whole
    **dict.fromkeys(["wengi", "dalu"], "malam"),
    **dict.fromkeys(["dikabaran", "ngabaran", "dikabarkeun", "ngabarkeun"], "kabari"),
    "supados": "supaya",
    **dict.fromkeys(["tandhani", "nandhani", "nandain", "ditandain", "tandain"], "tanda"),
    **dict.fromkeys(["ingkang", "nu"], "yang"),
    "teng": "di",  # Javanese
    # Javanese negators meet the Indonesian ones, so "belum *" / "tidak *" read "dereng dados", "mboten saged"
    **dict.fromkeys(["dereng", "durung"], "belum"),
    # Javanese "ora", Sundanese "teu"/"henteu": one negator stem, so "tidak tahu" reads "ora ngerti" too
    **dict.fromkeys(["mboten", "boten", "ora", "teu", "henteu", "indak", "ndak"], "tidak"),  # + Minang
    "ambo": "saya",  # Minang
    "ado": "ada",  # Minang
    "lai": "lagi",  # Minang ("ado lai" = "ada lagi")
    **dict.fromkeys(["ngurus", "ngurusi"], "urus"),
    **dict.fromkeys(["takenaken", "takokke", "takonke", "naroskeun", "tarosken"], "tanya"),
    **dict.fromkeys(["mesti"], "pasti"),
    **dict.fromkeys(["hariwang", "kuatos", "kuwatir", "was-was"], "khawatir"),
    **dict.fromkeys(["ngganggu", "ganggu"], "ganggu"),
    "ingin": "mau",
    **dict.fromkeys(["sampai", "nyampe", "nyampai", "sampe"], "sampai"),
    **dict.fromkeys(["telepon", "telpon", "nelpon", "menelepon", "menelpon"], "telepon"),
    **dict.fromkeys(["ya", "iya", "nggih", "njih", "enggih", "inggih", "muhun", "leres"], "ya"),
    "ilang": "hilang",
    # "keluhan" would lose its root to the ke- prefix ("luhan"): one stem for the complaint words
    **dict.fromkeys(["keluhan", "mengeluh", "keluh", "keluhkan", "dikeluhkan"], "keluh"),
    # "other", "is there", "question" in Javanese, Sundanese, Balinese and Betawi: the closing check
    # "wonten pitakenan sanesipun", "aya patarosan sanesna", "ape masih ade nyang ..." reads as Indonesian
    **dict.fromkeys(["sanes", "sanese", "sanesipun", "sanesna", "liyane", "liyan", "lianan", "laen"], "lain"),
    **dict.fromkeys(["wonten", "enten", "wenten", "onten", "ade"], "ada"),
    **dict.fromkeys(["pitakenan", "pitaken", "patarosan", "pertanyaan", "ditanyain", "nanya"], "tanya"),
    **dict.fromkeys(["perkawis", "prekawis"], "hal"),
    **dict.fromkeys(["kaperyogian", "peryogi", "perlune", "keperluan"], "perlu"),
    "ape": "apa",
    **dict.fromkeys(["nyang", "sane"], "yang"),
    "ye": "ya",
    "udeh": "sudah",  # Betawi
    **dict.fromkeys(["tanggel", "tanggeljawab"], "tanggung"),  # Sundanese/Javanese "tanggel jawab"
    "nelepon": "telepon",
    # "-lah" is a particle, but not in "masalah": "bermasalah" kept its root (was "masa")
    **dict.fromkeys(["masalah", "masalahnya", "bermasalah", "permasalahan", "permasalahannya"], "masalah"),
    # "because", "maybe", "stuck", "found" in Javanese and Sundanese: a cause told in them reads as one
    **dict.fromkeys(
        [
            "amargi",
            "margi",
            "kumargi",
            "mergo",
            "mergi",
            "mergane",
            "karana",
            "kusabab",
            "lantaran",
            "gegara",
        ],
        "karena",
    ),
    **dict.fromkeys(["sababna", "sebabe", "sababe"], "sebab"),
    **dict.fromkeys(["meureun", "menawi", "mbokmenawa"], "mungkin"),
    **dict.fromkeys(["nyangkut", "kesangkut", "nyangkol"], "sangkut"),
    **dict.fromkeys(["ketemu", "kapendak", "kepanggih", "nemu", "nemuin", "ditemukan"], "temu"),
    **dict.fromkeys(["ganjel", "ngganjel", "mengganjal", "ganjal", "ngeganjel"], "ganjal"),
    "bikin": "buat",
    "dobel": "dua kali",
}
_EN_CLASSES = dict.fromkeys(["sir", "madam", "maam", "ma'am", "mister", "miss", "mr", "mrs", "ms"], "@addr")


_EN_CLITICS = ("'s", "'re", "'d", "'m")
# "shouldn't" is one stem, "shouldnt" (a negator): "you shouldn't have" blames after the fact, where "you
# don't have" does not; examples must then write the contraction too ("shouldn't", not "should not").
# "can't" / "cannot" are "cant" the same way: a refusal, not any negation
_EN_MODALS = frozenset({"should", "would", "could", "must"})
# "'ve" and "'ll" carry the meaning of an action done or promised ("i've reset", "i'll check"): kept,
# and the spelled-out form joins them ("i have" is not two stems here, but "ive" from Whisper is "i've")
_EN_JOINED = {"ive": "i've", "weve": "we've"}


def _en_token(token: str) -> str:
    """English clitics off ("power's" -> "power"), but "'ve"/"'ll" kept ("i've" stays); "n't" is "not",
    except after a modal ("shouldn't" -> "shouldnt") and in "can't" / "cannot" ("cant")."""
    if token in ("can't", "cannot", "cant"):
        return "cant"  # "can't *" (a refusal) is not any "not *" ("not sure", "haven't paid")
    if token.endswith("n't"):
        modal = token[:-3]
        return modal + "nt" if modal in _EN_MODALS else "not"
    if token.endswith(("'ve", "'ll")):
        return token
    if token in _EN_JOINED:
        return _EN_JOINED[token]
    for c in _EN_CLITICS:
        if token.endswith(c) and len(token) > len(c):
            return token[: -len(c)]
    return token


def sentence_stems(tokens: Sequence[str], *, language: str) -> tuple[str, ...]:
    """Stems of a sentence's tokens; a sentence-final "nya" (before a form of address at most) is the
    Sundanese question tag, "ya" ("... ditagih dua kali nya Teh"), not a possessive left on its own."""
    out = _bind(stems=[stem(t, language=language) for t in tokens], language=language)
    if language == "id":
        end = len(out) - (1 if out and out[-1] == "@addr" else 0)
        if end > 0 and out[end - 1] == "nya":
            out[end - 1] = "ya"
    return tuple(out)


def _bind(*, stems: list[str], language: str) -> list[str]:
    """Stems that mean something only with their neighbour, marked the same way in a sentence and in an
    example: "terima kasih" (see ``_thanks``), a negator said as an exclamation (``_exclaim``) and, in
    English, a subject before "will" (``_en_bind_will``)."""
    out = _exclaim(_thanks(stems), language)
    return out if language == "id" else _en_bind_will(out)


def _thanks(stems: list[str]) -> list[str]:
    """The "terima" of "terima kasih" (thanks) is not "terima" (receive): order-free matching would read
    "terima kasih Pak, sudah saya blokir" as the near miss "sudah saya terima"."""
    for k in range(len(stems) - 1):
        if stems[k] == "terima" and stems[k + 1] == "kasih":
            stems[k] = THANKS
    return stems


# English subjects of "will": "i will call you" reads as "i'll" ("i'll call you *"), so who promises the act
# weighs like the contraction does and "he will call you" / "we will call you" is not the agent's own promise
_EN_WILL = {"i": "i'll", "we": "we'll", "you": "you'll", "he": "he'll", "she": "she'll", "they": "they'll"}


def _en_bind_will(stems: Sequence[str]) -> list[str]:
    """A pronoun right before "will" becomes its contraction, "will" stays ("i will" -> "i'll will"): the
    tokens keep their count, so spans and word indices do not move."""
    out = list(stems)
    for k in range(len(out) - 1):
        if out[k + 1] == "will" and out[k] in _EN_WILL:
            out[k] = _EN_WILL[out[k]]
    return out


def stem(token: str, *, language: str) -> str:
    """Stem of one normalised token (lower case): Indonesian affixes or English inflections stripped.

    Forms of address share one stem ("@addr"), so "pagi Pak" and "pagi Kak" are the same greeting.
    """
    if language != "id":
        token = _en_token(token)
        return _EN_CLASSES.get(token) or (_stem_en(token) if token.isalpha() else token)
    if token in _ID_CLASSES:
        return _ID_CLASSES[token]
    if not token.isalpha():
        return token
    s = _stem_id(token)
    return _ID_CLASSES.get(s, s)


@lru_cache(maxsize=65536)
def _stem_id(word: str) -> str:
    if word in _ID_KEEP or word in _ID_IN_WORDS or len(word) <= 4:
        return word
    w = word
    # Jakarta -in for -kan/-i: "daftarin", "kabarin", "bikinin"
    if w.endswith("in") and len(w) >= 5 and w[-3] not in "aei" and not w.endswith(("ingin", "main")):
        w = w[:-2] + ("kan" if not w.endswith("inin") else "")
    elif w.endswith(("iin", "ain")) and len(w) >= 6 and not w.endswith(("lain", "main")):
        w = w[:-2] + "kan"  # -in on a vowel-final root: "pastiin", "ditanyain", "cobain"
    for suf in _ID_PARTICLES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    root = next((r for r in _ID_NYA_ROOTS if w.endswith(r) and w[: -len(r)] in _ID_NYA_PREFIXES), None)
    if root is not None:
        return root  # "ditanya", "bertanya", "dipunya"
    for suf in _ID_POSSESSIVES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    if w in _ID_KEEP:
        return w
    for pre, add in _ID_PREFIXES:
        if w.startswith(pre) and len(w) - len(pre) + len(add) >= 4:
            tail = w[len(pre) :]
            if add and tail[:1] not in "aeiou":
                continue  # men+t only before a vowel: "menulis" -> "tulis", "menjadwalkan" -> "jadwal"
            if pre in ("mem", "men", "pe", "be") and not add and tail[:1] in "aeiou":
                continue
            rest = add + tail
            w = rest
            break
    if w in _ID_KEEP:  # "diganti" -> "ganti", "menghubungi" -> "hubungi": as the bare word stems
        return w
    for suf in _ID_SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    return w if len(w) >= SHORT_STEM else word


@lru_cache(maxsize=65536)
def _stem_en(word: str) -> str:
    for suf, keep in (("ing", 4), ("ied", 3), ("ed", 4), ("es", 4), ("s", 4)):
        if word.endswith(suf) and len(word) - len(suf) >= keep and not word.endswith("ss"):
            return word[: -len(suf)] + ("y" if suf == "ied" else "")
    return word


@dataclass(frozen=True)
class Utterance:
    """One example or near miss, normalised and stemmed.

    Attributes:
        text: As written in the rubric.
        stems: Stems of its tokens, in order.
        negated: True when it holds a negator itself (then negators around a match are expected).
        anchored: Written "^ ...": matches only at the start of a sentence (after openers like "baik Bu").
        final: Written "... $": its last stem must end the sentence (before tags like "ya Pak"), as a
            question tag does ("bisa online nggak" asks; "nggak bisa online" reports).
        verbatim: Written "= ...": said word for word, in its order with at most one word more
            ("= harusnya ditelepon" is "harusnya bapak ditelepon", not "harusnya dicoba dulu sebelum
            telepon", whose stems it holds three words apart).
    """

    text: str
    stems: tuple[str, ...]
    negated: bool
    anchored: bool = False
    final: bool = False
    verbatim: bool = False


@dataclass(frozen=True)
class MeaningMatch:
    """Where an example (or near miss) matched a sentence.

    Attributes:
        example: The rubric utterance.
        score: 0..1, weighted share of its stems found in the span.
        first: First token index of the span (in the sentence's tokens).
        last: Last token index (inclusive).
        near_miss: True when the utterance is a near miss.
    """

    example: str
    score: float
    first: int
    last: int
    near_miss: bool = False
    size: int = 0
    key: int = -1  # token index of the heaviest stem the utterance matched (its most telling word)


@cache
def function_words(language: str) -> frozenset[str]:
    """Stems of the language's function words (pronouns, auxiliaries, prepositions, articles, conjunctions,
    particles) from ``rubrics/lang/<language>/function_words.yaml``, English for a language without one.
    Negators are never function words (they are :data:`NEGATORS`)."""
    return _word_class(language, FUNCTION_WORD_CLASSES) - NEGATORS


@cache
def slot_words(language: str) -> frozenset[str]:
    """Stems a ``*`` slot of an example never stands for and a negator of an example skips to find its word
    (``never_in_a_slot`` in the language's ``function_words.yaml``): a few articles, pronouns, particles,
    fewer than :func:`function_words`, so that "if you'd been home *" still ends on "this"."""
    return _word_class(language, ("never_in_a_slot",)) - NEGATORS


@cache
def echo_function_words(language: str) -> frozenset[str]:
    """The function words a restatement (confirm_problem's echo) and the sentiment gate's word count leave
    out: all but the ``tense_auxiliaries``, which a restatement says back with the problem's duration ("has
    been off since yesterday" -> "so you have had no network since yesterday")."""
    classes = tuple(c for c in FUNCTION_WORD_CLASSES if c != "tense_auxiliaries")
    return _word_class(language, classes) - NEGATORS


@cache
def interjections(language: str) -> frozenset[str]:
    """Stems of the language's interjections ("oh", "aduh"), from its ``function_words.yaml``."""
    return _word_class(language, ("interjections",))


@cache
def first_person(language: str) -> frozenset[str]:
    """Stems of the words by which a speaker names themself ("saya", "aku", "kami"; "i", "we", "let's"):
    ``first_person`` in the language's ``function_words.yaml``. A promise to find out names its maker."""
    return _word_class(language, ("first_person",))


@cache
def second_person(language: str) -> frozenset[str]:
    """The words, lower-cased as transcribed and not normalised, that name the one spoken to ("anda",
    "bapak", "you"): ``second_person`` in the language's ``function_words.yaml``. Raw, because normalising
    makes the vocative "Pak" the subject "Bapak" ("Pak, tidak tahu juga" is the agent's own admission)."""
    _, data = _function_word_data(language)
    return frozenset(str(w).lower() for w in data.get("second_person") or ())


def _function_word_data(language: str) -> tuple[str, dict[str, Any]]:
    """The language whose ``function_words.yaml`` serves ``language`` (English without one), and its data."""
    lang = language if has_language_data(language, "function_words") else "en"
    return lang, language_data(lang, "function_words")


def _word_class(language: str, keys: Sequence[str]) -> frozenset[str]:
    lang, data = _function_word_data(language)
    out: set[str] = set()
    for key in keys:
        for word in data.get(key) or ():
            w = str(word).lower()
            toks = [w] if w.startswith("@") else normalize_words([w], language=lang).tokens
            out.update(w if w.startswith("@") else stem(t, language=lang) for t in toks)
    return frozenset(out)


def _exclaim(stems: list[str], language: str) -> list[str]:
    """A negator said as an exclamation right after an interjection ("oh no", "aduh nggak";
    ``exclaimed_negators`` in the language's ``function_words.yaml``), before a new clause (an apology, a form
    of address, another interjection, the sentence's end, and where the language says so a pronoun or an
    article: ``exclamation_followers``), negates nothing: "och no, i'm really sorry" and "aduh nggak, mohon
    maaf" apologise, "oh no problem" and "aduh nggak bisa" keep their negation, and so does "wah bukan saya
    yang urus" (Indonesian puts a negator before the pronoun of the clause it negates). The token keeps its
    place, marked (``EXCLAIMED``)."""
    said, inter, opens = _exclamations(language)
    if not said.intersection(stems):
        return stems
    for k in range(1, len(stems)):
        if stems[k] in said and stems[k - 1] in inter and (k + 1 == len(stems) or stems[k + 1] in opens):
            stems[k] = stems[k] + EXCLAIMED
    return stems


@cache
def _exclamations(language: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(negators said as an exclamation, interjections, the words a new clause may open with)."""
    classes = tuple(str(c) for c in _function_word_data(language)[1].get("exclamation_followers") or ())
    inter = interjections(language)
    opens = _word_class(language, classes) | APOLOGY_OPENERS | {ADDRESS} | inter
    return _word_class(language, ("exclaimed_negators",)), inter, opens


def utterances(texts: Iterable[str], *, language: str) -> tuple[Utterance, ...]:
    """Normalise and stem rubric utterances."""
    out = []
    for t in texts:
        verbatim = t.startswith("= ")
        t = t[2:] if verbatim else t
        anchored = t.startswith("^ ")
        t = t[2:] if anchored else t
        final = t.endswith(" $")
        t = t[:-2] if final else t
        stems = tuple(
            _bind(
                stems=[
                    WILDCARD if part == WILDCARD else stem(x, language=language)
                    for part in t.split()
                    for x in (
                        [WILDCARD] if part == WILDCARD else normalize_words([part], language=language).tokens
                    )
                    if x != "?"
                ],
                language=language,
            )
        )
        if stems:
            out.append(Utterance(t, stems, any(s in NEGATORS for s in stems), anchored, final, verbatim))
    return tuple(out)


def stem_weights(groups: Iterable[Sequence[Utterance]]) -> dict[str, float]:
    """Rarity weight of every stem over all utterances of a rubric (inverse document frequency)."""
    df: Counter[str] = Counter()
    n = 0
    for group in groups:
        for u in group:
            n += 1
            df.update(set(u.stems) - {WILDCARD})
    return {s: math.log(1.0 + n / c) for s, c in df.items()}


@dataclass(frozen=True)
class MeaningModel:
    """Examples and near misses of one item or trigger, with the rubric's stem weights.

    Attributes:
        examples: Utterances that count.
        near_misses: Utterances that look alike but do not count.
        weights: Stem -> weight (stems never seen in any example weigh 1.0).
        min_score: Least score for a match.
        function_words: Stems a ``*`` slot never stands for (:func:`slot_words` of the language).
    """

    examples: tuple[Utterance, ...]
    near_misses: tuple[Utterance, ...]
    weights: dict[str, float]
    min_score: float = DEFAULT_MIN_MEANING
    function_words: frozenset[str] = frozenset()

    def best(self, stems: Sequence[str]) -> MeaningMatch | None:
        """The best example matching the sentence ``stems``, or None (no example, or a near miss wins)."""
        index: dict[str, list[int]] = {}
        for k, s in enumerate(stems):
            index.setdefault(s, []).append(k)
        fw = self.function_words
        hits = _matches(self.examples, stems, index, self.weights, self.min_score, fw, near=False)
        # best first; a near miss vetoes only the example said on its words, so an example said elsewhere
        # in the sentence still counts ("bukan wewenang kami, ... itu urusan rumah sakit": the near miss
        # "itu urusan kami" may veto "itu urusan *", not "bukan wewenang kami")
        for hit in sorted(hits, key=lambda h: (h.score, h.size), reverse=True):
            miss = _best(
                self.near_misses,
                stems,
                index,
                self.weights,
                self.min_score,
                fw,
                near=True,
                within=(hit.first, hit.last),
                key=hit.key,
            )
            if miss is None or miss.score < hit.score:
                return hit
        return None  # every example is matched as well or better by a near miss on the same words


def _best(
    group: Sequence[Utterance],
    stems: Sequence[str],
    index: dict[str, list[int]],
    weights: dict[str, float],
    min_score: float,
    fw: frozenset[str],
    *,
    near: bool,
    within: tuple[int, int] | None = None,
    key: int = -1,
) -> MeaningMatch | None:
    """Best utterance of ``group`` matching ``stems``; with ``within`` (a span), only matches covering at
    least half of it count: a near miss vetoes an example said on the same words, not one elsewhere
    in the sentence
    ("kecepatan baru aktif malam ini": the near miss "secepatnya" on "kecepatan" leaves "malam ini")."""
    best: MeaningMatch | None = None
    for m in _matches(group, stems, index, weights, min_score, fw, near=near, within=within, key=key):
        if best is None or (m.score, m.size) > (best.score, best.size):
            best = m
    return best


def _matches(
    group: Sequence[Utterance],
    stems: Sequence[str],
    index: dict[str, list[int]],
    weights: dict[str, float],
    min_score: float,
    fw: frozenset[str],
    *,
    near: bool,
    within: tuple[int, int] | None = None,
    key: int = -1,
) -> list[MeaningMatch]:
    """Every utterance of ``group`` matching ``stems`` (see :func:`_best`), one match each."""
    out: list[MeaningMatch] = []
    for u in group:
        # a whole-sentence frame ("^ jadi * * ya $") leaves what fills its slots free, negators included:
        # "jadi internetnya nggak jalan ya" restates a problem, it does not deny the restating
        free = u.negated or (u.anchored and u.final)
        m = _match(u, stems, index, weights, min_score, fw, negated=not free)
        if m is None or m[0] < min_score:
            continue
        score, first, last = m
        if u.verbatim and not _verbatim(u.stems, stems[first : last + 1]):
            continue
        # a near miss must say the example's words: cover half its stretch, or its most telling word
        # ("kelalaian kurir kami" vetoes "itu kelalaian ibu" spread over "itu terjadi karena kelalaian")
        covered = 2 * (min(last, within[1]) - max(first, within[0]) + 1) if within is not None else 0
        if within is not None and covered < within[1] - within[0] + 1 and not first <= key <= last:
            continue
        mine = set(u.stems)
        inside = [k for k in range(first, last + 1) if stems[k] in mine]
        heaviest = max(inside, key=lambda k: weights.get(stems[k], 1.0), default=-1)
        out.append(MeaningMatch(u.text, round(score, 3), first, last, near, len(u.stems), heaviest))
    return out


def _beats(score: float, first: int, last: int, than: tuple[float, int, int] | None) -> bool:
    """Whether the span ``first..last`` scoring ``score`` is better than ``than``: a higher score, or the
    same score on fewer words (the words the utterance was said on)."""
    return than is None or score > than[0] or (score == than[0] and last - first < than[2] - than[1])


def _verbatim(mine: Sequence[str], span: Sequence[str]) -> bool:
    """Whether ``span`` says the utterance word for word: its stems in order, at most one word more."""
    if len(span) > len(mine) + VERBATIM_SLACK:
        return False
    want = [s for s in mine if s != WILDCARD]
    k = 0
    for s in span:
        if k < len(want) and s == want[k]:
            k += 1
    return k == len(want)


def _match(
    u: Utterance,
    stems: Sequence[str],
    index: dict[str, list[int]],
    weights: dict[str, float],
    min_score: float = 0.0,
    fw: frozenset[str] = frozenset(),
    negated: bool = False,
) -> tuple[float, int, int] | None:
    """Best compact span of ``stems`` holding the utterance's stems: (score, first, last) or None; with
    ``negated``, only spans no negator negates (:func:`_negated`): an example said twice, once negated and
    once not ("tidak bisa saya ubah, tapi saya bisa mintakan ..."), is said."""
    total = sum(weights.get(s, 1.0) for s in u.stems)
    found = [(s, index[s]) for s in dict.fromkeys(u.stems) if s in index and s != WILDCARD]
    if not found or total <= 0:
        return None
    wild = u.stems.count(WILDCARD)
    upper = (sum(weights.get(s, 1.0) * u.stems.count(s) for s, _ in found) + wild) / total
    if upper < min_score:
        return None  # even the best span could not reach the bar
    width = len(u.stems) + SPAN_SLACK
    best: tuple[float, int, int] | None = None
    kept: tuple[float, int, int] | None = None  # the best span no negator touches (with ``negated``)
    # leading wildcards ("* * jadi *": a consequence after its cause) stand for words before the first stem
    lead_wild = next((k for k, x in enumerate(u.stems) if x != WILDCARD), 0)
    starts = sorted({p - lead_wild for _, ps in found for p in ps if p >= lead_wild})
    if lead_wild:  # leading "*"s stand before the first stem: the span starts that many words before it
        starts = [p - lead_wild for p in index.get(u.stems[lead_wild], ()) if p >= lead_wild]
        if lead_wild >= CAUSE_WILDCARDS:
            # "* * jadi *" is a consequence told after its cause: not the stem that opens the sentence, even
            # after an apology or a name ("mohon maaf Pak, jadi paketnya belum sampai ya" restates)
            opener = _lead(stems, u.stems[lead_wild], frame=True)
            starts = [a for a in starts if a + lead_wild != opener]
        if not starts:
            return None
    end = len(stems)
    if u.final:  # "bisa * tidak $": the last stem ends the sentence
        while end > 0 and stems[end - 1] in TAIL_FILLERS and stems[end - 1] != u.stems[-1]:
            end -= 1
        if end == 0 or stems[end - 1] != u.stems[-1]:
            end = _conjunction_end(stems, u.stems[-1])
        if end == 0 and not (u.anchored and u.stems[-1] in CLAUSE_TAGS):
            return None
    if u.anchored:  # "^ jadi * *": only at the start of the sentence, after openers such as "baik Bu"
        lead = _lead(stems, u.stems[0], frame=u.final)
        if lead < 0:
            return None
        starts = [lead]
        if u.final:  # "^ jadi * * ya $" is a frame for the whole sentence: its slots hold the rest
            width = len(stems) - lead
            if not end:
                # a frame ending on a tag may end with the first clause the tag closes, when more follows
                end = _tag_end(u, stems, lead)
                if not end:
                    return None
                width = end - lead
    for a in starts:
        got = 0.0
        last = a
        for s, ps in found:
            inside = [p for p in ps if a <= p < a + width]
            if inside:
                got += weights.get(s, 1.0) * min(len(inside), u.stems.count(s))
                last = max(last, max(inside))
        if wild:
            mine = set(u.stems)
            free = [k for k in range(a, min(len(stems), a + width)) if stems[k] not in mine]
            content = [k for k in free if stems[k] not in fw and stems[k] not in NEGATORS]
            got += weights.get(WILDCARD, 1.0) * min(wild, len(content))
            if content:
                last = max(last, content[min(wild, len(content)) - 1])
        score = min(1.0, got / total)
        # equal scores: the most compact span, the words the utterance was said on
        if _beats(score, a, last, best):
            best = (score, a, last)
        if negated and _beats(score, a, last, kept) and not _negated(stems, a, last):
            kept = (score, a, last)
    if negated and best is not None:
        # a negated best span yields to one no negator touches only when that one is as good and as compact
        # (the example said again: "tidak bisa saya ubah, tapi bapak bisa mintakan ..."), not to the same
        # words read out of order over a longer stretch ("nggak bisa kita proses kalau di sistem kita")
        if kept is None or kept[0] < best[0] or kept[2] - kept[1] > best[2] - best[1]:
            return None
        best = kept
    if best is not None and u.negated and not _negation_in_scope(u, stems, best[1], best[2], fw):
        return None
    return best


def _conjunction_end(stems: Sequence[str], last: str) -> int:
    """End (exclusive) of a clause that ``last`` closes before a conjunction opens the next one ("bisa online
    nggak Pak, atau harus datang", "bisa dibayar di sana nggak, soalnya ..."); 0: none."""
    for p in range(len(stems) - 1):
        if stems[p] != last:
            continue
        q = p + 1
        while q < len(stems) and stems[q] in TAIL_FILLERS:
            q += 1
        if q < len(stems) and stems[q] in CLAUSE_CONJUNCTIONS:
            return p + 1
    return 0


def _lead(stems: Sequence[str], first: str, *, frame: bool) -> int:
    """Where an anchored example starting with ``first`` may start: after openers ("baik Bu", "oke"); a
    whole-sentence frame also after a name following a form of address ("baik Bapak Slamet, jadi ...") and
    a short apology ("mohon maaf ya atas keterlambatannya, jadi ...", "waduh ngapunten Pak, dadi ...");
    -1: not there."""
    lead = 0
    while lead < len(stems) - 1 and stems[lead] != first:
        if stems[lead] in LEAD_FILLERS:
            lead += 1
        elif not frame:
            return -1
        elif lead > 0 and stems[lead - 1] == ADDRESS and stems[lead] not in NEGATORS:
            lead += 1  # one name after the form of address
            if lead < len(stems) and stems[lead] != first and stems[lead] not in LEAD_FILLERS:
                return -1
        elif stems[lead] in APOLOGY_OPENERS:
            reach = [
                k for k in range(lead + 1, min(len(stems), lead + 1 + APOLOGY_REACH)) if stems[k] == first
            ]
            if not reach:
                return -1
            lead = reach[0]
        else:
            return -1
    return lead if stems and stems[lead] == first else -1


def _tag_end(u: Utterance, stems: Sequence[str], lead: int) -> int:
    """End (exclusive) of a whole-sentence frame whose last stem is a tag ("^ jadi * * ya $") when the tag
    does not end the sentence: the first place the tag closes a clause said about the listener, i.e. with a
    form of address inside it and room for the frame's slots ("jadi m-banking Bapak terblokir ya Pak, boleh
    ..."; not "jadi reksa dana itu ada beberapa jenis ya Pak, ada ...", an explanation); 0: none."""
    need = lead + len(u.stems) - 1  # the tag may stand no earlier than the frame's slots allow
    for p in range(need, len(stems)):
        said_to = ADDRESS in stems[lead + 1 : p] or (p + 1 < len(stems) and stems[p + 1] == ADDRESS)
        if stems[p] == u.stems[-1] and said_to:
            return p + 1
    return 0


def _negated_word(u: Utterance, k: int, fw: frozenset[str]) -> str | None:
    """The word a negator at ``u.stems[k]`` negates: the next stem that is neither a slot, a function word
    nor another negator ("not a clue" -> "clue"), or None."""
    for s in u.stems[k + 1 :]:
        if s != WILDCARD and s not in fw and s not in NEGATORS:
            return s
    return None


def _negation_in_scope(u: Utterance, stems: Sequence[str], first: int, last: int, fw: frozenset[str]) -> bool:
    """A negator is said, and each negator of the utterance negates the same word in the sentence (one
    stands at most ``NEGATION_REACH`` tokens before it). Order-free matching would otherwise read "saya
    ngerti, tapi nggak bisa" as "tidak ngerti", and "next time it's cheaper" as "next time don't *"."""
    if not any(stems[q] in NEGATORS for q in range(max(0, first - 2), last + 1)):
        return False  # "next time don't *" is not "next time it will be cheaper": the negation is the point
    for k, s in enumerate(u.stems):
        if s not in NEGATORS:
            continue
        word = _negated_word(u, k, fw)
        places = [p for p in range(first, last + 1) if stems[p] == word]
        if word is None or not places:
            continue  # the word is not said here: the score has counted it missing already
        if not any(stems[q] in NEGATORS for p in places for q in range(max(0, p - NEGATION_REACH), p)):
            return False
    return True


AUXILIARIES = frozenset(
    [
        "ada",
        "bisa",
        "dapat",
        "akan",
        "mau",
        "perlu",
        "pernah",
        "boleh",
        "usah",
        "sempat",
        "jadi",
        "can",
        "will",
    ]
)


def _negated(stems: Sequence[str], first: int, last: int) -> bool:
    """A negator inside the span, right before it, or two before with an auxiliary between
    ("belum bisa kami bantu", "tidak ada solusinya"; not "tidak ada, berarti ...")."""
    if any(s in NEGATORS and not _about(stems, k) for k, s in enumerate(stems[first : last + 1], first)):
        return True
    return negated_before(stems, first)


def negated_before(stems: Sequence[str], k: int) -> bool:
    """A negator right before stem ``k``, or two before with an auxiliary between ("tidak ada gangguan")."""
    if k >= 1 and stems[k - 1] in NEGATORS:
        return True
    return (
        k >= 2
        and stems[k - 2] in NEGATORS
        and stems[k - 1] in AUXILIARIES
        and stems[k] not in ("berarti", "jadi")
    )


def _about(stems: Sequence[str], k: int) -> bool:
    """ "kurang lebih" at ``k``: "about" (a time frame), not a negation."""
    return stems[k] == "kurang" and k + 1 < len(stems) and stems[k + 1] == "lebih"


def build_model(
    examples: Sequence[str],
    near_misses: Sequence[str],
    *,
    language: str,
    weights: dict[str, float],
    min_score: float | None = None,
) -> MeaningModel:
    """A meaning model for one item or trigger (``weights`` from :func:`stem_weights` over the rubric)."""
    return MeaningModel(
        utterances(examples, language=language),
        utterances(near_misses, language=language),
        weights,
        DEFAULT_MIN_MEANING if min_score is None else float(min_score),
        slot_words(language),
    )


__all__ = [
    "ADDRESS",
    "CLAUSE_CONJUNCTIONS",
    "DEFAULT_MIN_MEANING",
    "NEGATORS",
    "MeaningMatch",
    "MeaningModel",
    "Utterance",
    "build_model",
    "echo_function_words",
    "first_person",
    "function_words",
    "interjections",
    "second_person",
    "slot_words",
    "stem",
    "negated_before",
    "sentence_stems",
    "stem_weights",
    "utterances",
]
