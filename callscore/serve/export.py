"""``export-reviews``: the team's reviewed verdicts as a label file ``callscore eval rubric --labels`` reads.

One row per reviewed (call, item): the call's source as stored (the transcript JSON or recording the
batch scored, made absolute so the file can live anywhere), the item id and the newest human verdict, in
the TSV layout :func:`callscore.rubric_eval.read_labels` reads (``path<TAB>item<TAB>expected[<TAB>split]``,
a header line and ``#`` comments). Items nobody reviewed are left out: they are not labels.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .review import ReviewRecord, latest_reviews

HEADER = ("path", "item", "expected", "split")


@dataclass(frozen=True)
class LabelRow:
    """One exported label.

    Attributes:
        path: The call's source, absolute.
        item: Rubric item id.
        expected: Newest human verdict.
        split: Split name ("" when not asked for).
        call_key: The call (for the comment trail, not written as a column).
    """

    path: str
    item: str
    expected: str
    split: str
    call_key: str


def label_rows(
    *,
    sources: Mapping[str, str],
    reviews: Sequence[ReviewRecord],
    split: str = "",
    base_dir: str | os.PathLike[str] = ".",
) -> list[LabelRow]:
    """The label rows of every reviewed (call, item) whose call is in ``sources`` (call_key -> source),
    sorted by call then item. A relative source is taken relative to ``base_dir`` (where the batch ran)."""
    base = Path(base_dir)
    out = []
    for (call_key, item_id), r in sorted(latest_reviews(reviews).items()):
        src = sources.get(call_key)
        if src is None:
            continue
        p = Path(src)
        path = str(p if p.is_absolute() else (base / p).resolve())
        out.append(LabelRow(path, item_id, r.after, split, call_key))
    return out


def labels_tsv(*, rows: Sequence[LabelRow], comment: str = "") -> str:
    """TSV text of ``rows``: the header line, a ``#`` comment line when given, one line per label."""
    for r in rows:
        for value in (r.path, r.item, r.split):
            if "\t" in value or "\n" in value:
                raise ValueError(f"call {r.call_key}: {value!r} cannot be written to a TSV cell")
    # The header must be the first line: read_labels recognises it only there.
    lines = ["\t".join(HEADER)] + ([f"# {comment}"] if comment else [])
    lines += ["\t".join((r.path, r.item, r.expected, r.split)) for r in rows]
    return "\n".join(lines) + "\n"
