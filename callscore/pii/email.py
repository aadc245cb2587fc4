"""E-mail addresses read out: "budi titik santoso at gmail titik com", "budi 88 et yahoo dot co dot id",
and as Whisper writes them ("eko. wibowo @ gmail. com", "Outlook.com").

Pure functions over a channel's words; the detector decides what is free to take.
"""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import Lexicon
from .numbers import digit_token

EMAIL_LOCAL_WORDS = 6  # longest spoken local part read backwards from "at"
DOMAIN_WORDS = 9  # longest spoken domain ("yahoo titik co titik id" is 5)


def spoken_domain(
    *, norms: Sequence[str], raws: Sequence[str], used: Sequence[bool], start: int, lex: Lexicon
) -> tuple[int, str] | None:
    """(index of the last word, domain) of a domain read from ``start``, or None when no known top-level
    domain ends it. ``norms`` are the normalised words, ``raws`` as written, ``used`` words already taken."""
    em = lex.email
    labels: list[str] = []
    end, cut, want_label = None, 0, True
    for k in range(start, min(start + DOMAIN_WORDS, len(norms))):
        if used[k]:
            break
        text = raws[k].lower().strip(",;:!?\"'()")
        if text in em["dot"] or norms[k] in em["dot"]:
            if want_label:
                break
            want_label = True
            continue
        body = text.strip(".")
        if not want_label or not body or not all(x.replace("-", "").isalnum() for x in body.split(".")):
            break
        labels.extend(x for x in body.split(".") if x)
        want_label = text.endswith(".")  # "gmail. com": Whisper wrote the spoken dot onto the label
        if len(labels) >= 2 and labels[-1] in em["tlds"]:
            end, cut = k, len(labels)
    if end is None:
        return None
    return end, ".".join(labels[:cut])


def spoken_local_part(
    *, norms: Sequence[str], raws: Sequence[str], used: Sequence[bool], last: int, lex: Lexicon
) -> tuple[int | None, str]:
    """(index of the first word, local part) of the address part read before "at", ending at ``last``;
    (None, "") when the word before "at" cannot start an address ("email saya at ...")."""
    em = lex.email
    connectors = em["dot"] | em["underscore"] | em["dash"]
    if last < 0 or used[last] or norms[last] in em["stop"] or norms[last] in connectors:
        return None, ""
    parts = [norms[last]]
    first = last
    while first - 1 >= 0 and last - first < EMAIL_LOCAL_WORDS:
        conn = norms[first - 1]
        word = norms[first - 2] if first >= 2 else ""
        if used[first - 1] or (first >= 2 and used[first - 2]) or conn in em["stop"]:
            break
        if raws[first - 1].endswith(".") and conn.isalnum():
            parts[:0] = [conn, "."]  # "eko. wibowo at ...": Whisper wrote the spoken dot
            first -= 1
        elif conn in connectors and word and word not in em["stop"]:
            sym = "." if conn in em["dot"] else "_" if conn in em["underscore"] else "-"
            parts[:0] = [word, sym]
            first -= 2
        elif digit_token(parts[0]) is not None:
            parts.insert(0, conn)  # "budi 88 at ...": the word before the digits belongs too
            first -= 1
        else:
            break
    return first, "".join(parts)
