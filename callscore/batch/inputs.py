"""What a batch works on: the input files, their call ids and their metadata (agent, team, date).

Inputs are files, folders (searched recursively) and glob patterns; audio and transcript JSON are both
accepted. Metadata comes from a CSV (one row per call, matched by call id or file name) or is parsed from
the file name with a pattern such as ``"{agent}_{date}_{id}"``.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import glob
import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from callscore.audio.decode import SUPPORTED_EXTENSIONS
from callscore.errors import CallscoreError

TRANSCRIPT_EXTENSIONS = (".json",)
INPUT_EXTENSIONS = tuple(SUPPORTED_EXTENSIONS) + TRANSCRIPT_EXTENSIONS
# Column names accepted in a metadata CSV, first match wins; everything else goes to ``extra``.
KEY_COLUMNS = ("call_id", "file", "filename", "file_name", "path", "recording")
AGENT_COLUMNS = ("agent", "agent_id", "agent_name")
TEAM_COLUMNS = ("team", "team_id", "queue", "group")
DATE_COLUMNS = ("call_date", "date", "started", "start_time", "timestamp")
PATTERN_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
TRANSCRIPT_MARK = b'"callscore.transcript"'
TRANSCRIPT_SNIFF_BYTES = 512  # the schema name is the first key of a transcript JSON
ID_HASH_CHARS = 8  # hex characters of the path hash that tell apart two files with the same stem


class InputError(CallscoreError):
    """Batch inputs or metadata that cannot be used (no such file, bad CSV, bad name pattern)."""


@dataclass(frozen=True)
class CallMetadata:
    """Who took a call and when, for grouping in reports.

    Attributes:
        agent: Agent id or name, or None.
        team: Team or queue, or None.
        call_date: ISO date (YYYY-MM-DD) or ISO date-time, or None.
        extra: Any other columns or pattern fields, name -> text.
    """

    agent: str | None = None
    team: str | None = None
    call_date: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CallInput:
    """One call to score.

    Attributes:
        call_id: Identifier, unique within the batch; names the output files.
        path: The file as found (audio or transcript JSON).
        metadata: Agent, team, date and extra fields.
    """

    call_id: str
    path: str
    metadata: CallMetadata = field(default_factory=CallMetadata)


def is_input_file(path: Path) -> bool:
    """True for audio files (by extension) and callscore transcript JSON, hidden files excluded.

    A JSON file counts only when it is a callscore transcript, so folders holding scorecards, ground
    truth or other JSON can be scanned.
    """
    if path.name.startswith("."):
        return False
    suffix = path.suffix.lower()
    if suffix in TRANSCRIPT_EXTENSIONS:
        return looks_like_transcript(path)
    return suffix in INPUT_EXTENSIONS


def looks_like_transcript(path: Path) -> bool:
    """True when the file starts like a callscore transcript JSON (the schema name comes first)."""
    try:
        with path.open("rb") as f:
            head = f.read(TRANSCRIPT_SNIFF_BYTES)
    except OSError:
        return False
    return TRANSCRIPT_MARK in head


@dataclass(frozen=True)
class InputSearch:
    """What a list of command-line inputs names.

    Attributes:
        files: The files, each once, in the order the inputs name them (a folder's files sorted).
        problems: One line per input that names nothing ("no such file or folder", "folder holds no
            audio or transcript files", "the pattern matches no audio or transcript files").
        skipped: One line per entry of a searched folder that looks like a call but is no readable file
            (a dangling symlink, a symlink loop, a FIFO or device): skipped, with a word.
    """

    files: tuple[Path, ...]
    problems: tuple[str, ...]
    skipped: tuple[str, ...] = ()


def find_inputs(inputs: Sequence[str | os.PathLike[str]], *, exclude: Sequence[Path] = ()) -> InputSearch:
    """The one input discoverer: files as given, folders searched recursively, glob patterns expanded.

    Parameters
    ----------
    inputs : file paths, folder paths or glob patterns (``calls/**/*.wav``)
    exclude : folders whose contents are skipped (the batch output folder, so results are never inputs)

    Returns
    -------
    InputSearch. An explicitly named file is kept whatever its extension (scoring says if it is bad);
    folders and patterns keep audio and callscore transcript JSON only (:func:`is_input_file`). Every input
    that names nothing is a problem line; callers decide whether that stops them (``batch``) or is
    reported with the other calls (``score``).
    """
    excluded = [p.resolve() for p in exclude]
    found: dict[Path, Path] = {}
    problems: list[str] = []
    skipped: list[str] = []

    def add(p: Path) -> None:
        rp = p.resolve()
        if any(rp == e or e in rp.parents for e in excluded):
            return
        found.setdefault(rp, p)

    for raw in inputs:
        text = os.fspath(raw)
        p = Path(text)
        if p.is_dir():
            files = []
            for f in sorted(p.rglob("*")):
                if f.is_file():
                    if is_input_file(f):
                        files.append(f)
                elif not f.name.startswith(".") and f.suffix.lower() in INPUT_EXTENSIONS and not f.is_dir():
                    skipped.append(f"{f}: {_not_a_file(f)}, skipped")
            if not files:
                problems.append(f"{text}: folder holds no audio or transcript files")
            for f in files:
                add(f)
        elif p.is_file():
            add(p)
        elif p.is_symlink() or (p.exists() and not p.is_dir()):
            problems.append(f"{text}: {_not_a_file(p)}")
        elif glob.has_magic(text):
            matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            files = [m for m in matches if m.is_file() and is_input_file(m)]
            if not files:
                problems.append(f"{text}: the pattern matches no audio or transcript files")
            for f in files:
                add(f)
        else:
            problems.append(f"{text}: no such file or folder")
    return InputSearch(tuple(found.values()), tuple(problems), tuple(skipped))


def _not_a_file(p: Path) -> str:
    """Why ``p`` (which is not a regular file) cannot be read as a call."""
    try:
        p.stat()
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symlink loop"
        return "dangling symlink" if p.is_symlink() else (e.strerror or str(e)).lower()
    return "not a regular file (FIFO, socket or device)"


def discover_inputs(inputs: Sequence[str | os.PathLike[str]], *, exclude: Sequence[Path] = ()) -> list[Path]:
    """:func:`find_inputs` for a batch, which cannot start on a half-named input list: the files, sorted.

    Raises InputError (the first problem) when an input names nothing.
    """
    search = find_inputs(inputs, exclude=exclude)
    if search.problems:
        raise InputError(search.problems[0])
    return sorted(search.files)


def assign_call_ids(paths: Sequence[Path]) -> list[tuple[str, Path]]:
    """(call_id, path) pairs: the file stem, plus a short path hash where two files share a stem.

    The ids are stable across runs for the same paths, so a re-run finds its earlier results.
    """
    stems: dict[str, int] = {}
    for p in paths:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    out = []
    for p in paths:
        cid = p.stem
        if stems[p.stem] > 1:
            digest = hashlib.sha256(str(p).encode()).hexdigest()[:ID_HASH_CHARS]
            cid = f"{p.stem}-{digest}"
        out.append((cid, p))
    return out


def normalize_date(text: str, *, source: str = "date") -> str:
    """ISO form of a call date: YYYY-MM-DD for dates, YYYY-MM-DDTHH:MM:SS for date-times.

    Accepts ISO dates and date-times, ``YYYYMMDD``, ``YYYY_MM_DD``, ``YYYY.MM.DD`` and ``DD/MM/YYYY``.
    Raises InputError naming ``source`` for anything else.
    """
    t = text.strip()
    m = re.fullmatch(r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})", t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t)
        if m:
            d, mo, y = (int(g) for g in m.groups())
        else:
            try:
                return dt.datetime.fromisoformat(t.replace("Z", "+00:00")).replace(tzinfo=None).isoformat()
            except ValueError:
                raise InputError(f"{source}: {text!r} is not a date (use YYYY-MM-DD)") from None
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        raise InputError(f"{source}: {text!r} is not a valid date") from None


def compile_name_pattern(pattern: str) -> re.Pattern[str]:
    """Regex for a file-name pattern like ``"{agent}_{date}_{id}"`` (matched against the file stem).

    Each ``{field}`` matches a non-empty run of characters (shortest first), the rest literally.
    """
    fields = PATTERN_FIELD.findall(pattern)
    if not fields:
        example = "{agent}_{date}_{id}"
        raise InputError(f"--name-pattern {pattern!r}: no {{field}} in it (example: {example!r})")
    if len(set(fields)) != len(fields):
        raise InputError(f"--name-pattern {pattern!r}: a field appears twice")
    parts, pos = [], 0
    for m in PATTERN_FIELD.finditer(pattern):
        parts.append(re.escape(pattern[pos : m.start()]))
        parts.append(f"(?P<{m.group(1)}>.+?)")
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    return re.compile("".join(parts) + r"\Z")


def metadata_from_name(stem: str, pattern: re.Pattern[str], *, source: str = "") -> CallMetadata | None:
    """Metadata parsed from a file stem, or None when the stem does not fit the pattern.

    Fields ``agent``, ``team`` and ``date`` (or ``call_date``) fill those attributes; others go to
    ``extra``. A ``date`` field that is not a date makes the name not fit.
    """
    m = pattern.fullmatch(stem)
    if not m:
        return None
    values = m.groupdict()
    try:
        return _metadata(values, source=source or stem)
    except InputError:
        return None


def _first(values: Mapping[str, str], names: Iterable[str]) -> tuple[str | None, str | None]:
    for n in names:
        v = values.get(n)
        if v is not None and v.strip():
            return n, v.strip()
    return None, None


def _metadata(values: Mapping[str, str], *, source: str) -> CallMetadata:
    lower = {k.strip().lower(): (v or "") for k, v in values.items() if k is not None}
    ka, agent = _first(lower, AGENT_COLUMNS)
    kt, team = _first(lower, TEAM_COLUMNS)
    kd, date = _first(lower, DATE_COLUMNS)
    used = {ka, kt, kd, *KEY_COLUMNS}
    extra = {k: v.strip() for k, v in lower.items() if k not in used and v.strip()}
    return CallMetadata(
        agent=agent,
        team=team,
        call_date=normalize_date(date, source=f"{source}: {kd}") if date else None,
        extra=extra,
    )


def read_metadata_csv(path: str | os.PathLike[str]) -> dict[str, CallMetadata]:
    """Metadata per call from a CSV with a header row.

    The key column is the first of ``call_id``, ``file``, ``filename``, ``path``, ``recording``; its values
    are matched against call ids and file names (with or without extension, folders ignored). Returns
    key -> metadata, keys lower-cased file stems. Raises InputError naming file, line and column.
    """
    p = Path(path)
    try:
        with p.open(newline="", encoding="utf-8-sig") as f:
            sample = f.read(4096)
            f.seek(0)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(f, dialect=dialect)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            key = next((k for k in KEY_COLUMNS if k in header), None)
            if key is None:
                raise InputError(f"{p}: no call key column (add one named {' or '.join(KEY_COLUMNS[:3])})")
            out: dict[str, CallMetadata] = {}
            for row in reader:
                line = reader.line_num
                norm = {(k or "").strip().lower(): (v or "") for k, v in row.items() if k is not None}
                ident = norm.get(key, "").strip()
                if not ident:
                    raise InputError(f"{p}:{line}: empty {key!r}")
                stem = _stem_key(ident)
                if stem in out:
                    raise InputError(f"{p}:{line}: call {ident!r} appears twice")
                out[stem] = _metadata(norm, source=f"{p}:{line}")
            return out
    except FileNotFoundError:
        raise InputError(f"{p}: metadata file not found") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"{p}: not a readable CSV ({e})") from e


def _stem_key(ident: str) -> str:
    name = ident.replace("\\", "/").rsplit("/", 1)[-1]
    stem = Path(name).stem if Path(name).suffix.lower() in INPUT_EXTENSIONS else name
    return stem.lower()


def plan_inputs(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    metadata_csv: str | os.PathLike[str] | None = None,
    name_pattern: str | None = None,
    exclude: Sequence[Path] = (),
) -> tuple[list[CallInput], list[str]]:
    """The calls of a batch with their metadata, and warnings (files that fit no metadata).

    CSV metadata wins over fields parsed from the name; a call missing from both gets empty metadata
    and a warning, never an error, so one unlisted file does not stop a batch.
    """
    search = find_inputs(inputs, exclude=exclude)
    if search.problems:
        raise InputError(search.problems[0])
    if not search.files:  # e.g. a folder whose only calls are inside the output folder
        named = ", ".join(str(os.fspath(i)) for i in inputs) or "no inputs"
        raise InputError(f"{named}: no calls to score")
    paths = sorted(search.files)
    table = read_metadata_csv(metadata_csv) if metadata_csv is not None else {}
    rx = compile_name_pattern(name_pattern) if name_pattern else None
    calls: list[CallInput] = []
    warnings: list[str] = list(search.skipped)
    for cid, p in assign_call_ids(paths):
        meta = CallMetadata()
        if rx is not None:
            parsed = metadata_from_name(p.stem, rx, source=str(p))
            if parsed is None:
                warnings.append(f"{p}: file name does not fit --name-pattern {name_pattern!r}")
            else:
                meta = parsed
        row = table.get(cid.lower()) or table.get(p.stem.lower())
        if row is not None:
            meta = replace(
                row,
                agent=row.agent or meta.agent,
                team=row.team or meta.team,
                call_date=row.call_date or meta.call_date,
                extra={**meta.extra, **row.extra},
            )
        elif table:
            warnings.append(f"{p}: not listed in {metadata_csv}")
        calls.append(CallInput(call_id=cid, path=str(p), metadata=meta))
    return calls, warnings
