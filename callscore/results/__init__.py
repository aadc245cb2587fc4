"""Results stage: the results store (SQLite/PostgreSQL), aggregates over it, the dashboard and exports.

``store`` (schema, writes, queries), ``aggregates`` (per-group stats, item failure rates, trends),
``dashboard`` (HTML), ``export`` (CSV, Parquet).
"""

from callscore.results.aggregates import Report, ReportError, build_report
from callscore.results.store import ResultStore, StoreError, open_store, parse_store_url

__all__ = [
    "Report",
    "ReportError",
    "ResultStore",
    "StoreError",
    "build_report",
    "open_store",
    "parse_store_url",
]
