"""Export every item result of the results store, joined with its call, as CSV or Parquet.

One row per (call, item): the flat shape BI tools and pandas want. Parquet goes through pyarrow
(Apache-2.0), an optional extra (``pip install 'callscore[parquet]'``).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from callscore.errors import MissingDependencyError
from callscore.files import write_atomic
from callscore.results.store import ResultStore

EXPORT_FORMATS = ("csv", "parquet")
# (column, pyarrow type name) in output order: call fields, then item fields.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("call_key", "string"),  # unique per call in the store; call_id is the label and may repeat
    ("call_id", "string"),
    ("source", "string"),
    ("agent", "string"),
    ("team", "string"),
    ("call_date", "string"),
    ("duration", "float64"),
    ("rubric_id", "string"),
    ("rubric_version", "string"),
    ("model", "string"),
    ("total", "float64"),
    ("critical_failed", "bool_"),
    ("item_id", "string"),
    ("title", "string"),
    ("status", "string"),
    ("weight", "float64"),
    ("critical", "bool_"),
    ("value", "float64"),
    ("reason", "string"),
)


CALL_FIELDS = tuple(c for c, _ in EXPORT_COLUMNS[:12])  # from ``calls``; the rest from ``item_results``
BOOLEAN_FIELDS = ("critical_failed", "critical")  # stored as INTEGER 0/1


def export_rows(store: ResultStore) -> list[dict[str, Any]]:
    """One dict per item result with its call's fields, ordered by call id, call key, then item id (code
    points).

    The database joins and orders (one query), rather than Python matching every item to its call.
    """
    order = (
        "c.call_id, c.call_key, i.item_id"
        if store.kind != "postgresql"
        else 'c.call_id COLLATE "C", c.call_key COLLATE "C", i.item_id COLLATE "C"'
    )
    cols = [f"c.{n}" for n in CALL_FIELDS] + [f"i.{n}" for n, _ in EXPORT_COLUMNS[len(CALL_FIELDS) :]]
    names = [n for n, _ in EXPORT_COLUMNS]
    rows = store.read(
        f"SELECT {', '.join(cols)} FROM item_results i JOIN calls c ON c.call_key = i.call_key "
        f"ORDER BY {order}"
    )
    out = []
    for r in rows:
        d = dict(zip(names, r, strict=True))
        for n in BOOLEAN_FIELDS:
            d[n] = bool(d[n])
        out.append(d)
    return out


def rows_to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """CSV text with a header; None as empty, booleans as true/false."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = [c for c, _ in EXPORT_COLUMNS]
    w.writerow(names)
    for r in rows:
        w.writerow(
            ["" if r[n] is None else str(r[n]).lower() if isinstance(r[n], bool) else r[n] for n in names]
        )
    return buf.getvalue()


def write_export(rows: Sequence[dict[str, Any]], path: str | os.PathLike[str], *, fmt: str) -> Path:
    """Write ``rows`` as ``fmt`` ("csv" or "parquet") to ``path``, atomically."""
    p = Path(path)
    if fmt == "csv":
        text = rows_to_csv(rows)
        return write_atomic(p, lambda tmp: tmp.write_text(text, encoding="utf-8"), private=True)
    if fmt == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as e:
            raise MissingDependencyError(
                "Parquet export needs pyarrow: pip install 'callscore[parquet]'"
            ) from e
        schema = pa.schema([(c, getattr(pa, t)()) for c, t in EXPORT_COLUMNS])
        table = pa.Table.from_pylist(list(rows), schema=schema)
        return write_atomic(p, lambda tmp: pq.write_table(table, tmp), private=True)
    from callscore.results.aggregates import ReportError

    raise ReportError(f"--format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
