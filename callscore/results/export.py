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
from callscore.results.store import CallRow, ItemRow

EXPORT_FORMATS = ("csv", "parquet")
# (column, pyarrow type name) in output order: call fields, then item fields.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
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


def export_rows(calls: Sequence[CallRow], items: Sequence[ItemRow]) -> list[dict[str, Any]]:
    """One dict per item result with its call's fields, ordered by call id then item id."""
    by_id = {c.call_id: c for c in calls}
    rows = []
    for it in sorted(items, key=lambda i: (i.call_id, i.item_id)):
        c = by_id.get(it.call_id)
        if c is None:
            continue
        rows.append(
            {
                "call_id": c.call_id,
                "source": c.source,
                "agent": c.agent,
                "team": c.team,
                "call_date": c.call_date,
                "duration": c.duration,
                "rubric_id": c.rubric_id,
                "rubric_version": c.rubric_version,
                "model": c.model,
                "total": c.total,
                "critical_failed": c.critical_failed,
                "item_id": it.item_id,
                "title": it.title,
                "status": it.status,
                "weight": it.weight,
                "critical": it.critical,
                "value": it.value,
                "reason": it.reason,
            }
        )
    return rows


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
