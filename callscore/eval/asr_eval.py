"""ASR accuracy on a labelled manifest: word and character error rate after Indonesian normalisation.

WER on raw text punishes what does not matter to a QA rubric ("Rp119" vs "seratus sembilan belas ribu",
"gak" vs "tidak", "Ibu," vs "ibu"), so both sides go through the same normaliser as the rubric
(:func:`callscore.transcript.textnorm.wer_tokens`: case, punctuation, informal forms, spelling, amounts,
numbers) and every number is then spelled digit by digit, which makes "119", "seratus sembilan belas" and
"satu satu sembilan" the same three tokens.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from callscore.errors import CallscoreError
from callscore.transcript.textnorm import wer_tokens

MANIFEST_COLUMNS = ("audio", "reference")


@dataclass(frozen=True)
class ManifestRow:
    """One labelled recording.

    Attributes:
        audio: Path of the audio (or transcript JSON), resolved against the manifest's folder.
        reference: What was said.
        line: Line number in the manifest (for error messages).
    """

    audio: Path
    reference: str
    line: int


@dataclass(frozen=True)
class FileScore:
    """Errors of one recording.

    Attributes:
        audio: The recording.
        reference: Normalised reference tokens joined by spaces.
        hypothesis: Normalised hypothesis tokens joined by spaces ("" when it failed).
        word_edits: Word-level Levenshtein distance.
        words: Reference word count.
        char_edits: Character-level distance (spaces count as characters).
        chars: Reference character count.
        error: Why the file could not be transcribed ("" when it was).
    """

    audio: str
    reference: str
    hypothesis: str
    word_edits: int
    words: int
    char_edits: int
    chars: int
    error: str = ""

    @property
    def wer(self) -> float | None:
        """Word error rate (None when the reference is empty or the file failed)."""
        return None if self.error or not self.words else self.word_edits / self.words

    @property
    def cer(self) -> float | None:
        """Character error rate (None when the reference is empty or the file failed)."""
        return None if self.error or not self.chars else self.char_edits / self.chars


@dataclass(frozen=True)
class AsrReport:
    """Scores of a whole manifest.

    Attributes:
        files: One entry per manifest row, in manifest order.
    """

    files: tuple[FileScore, ...]

    def _ok(self) -> list[FileScore]:
        return [f for f in self.files if not f.error]

    @property
    def wer(self) -> float | None:
        """Corpus WER: all word edits over all reference words of the files that were transcribed."""
        ok = self._ok()
        n = sum(f.words for f in ok)
        return sum(f.word_edits for f in ok) / n if n else None

    @property
    def cer(self) -> float | None:
        """Corpus CER over the files that were transcribed."""
        ok = self._ok()
        n = sum(f.chars for f in ok)
        return sum(f.char_edits for f in ok) / n if n else None

    @property
    def failed(self) -> int:
        """Files that could not be transcribed."""
        return sum(1 for f in self.files if f.error)


def score_pair(reference: str, hypothesis: str, *, audio: str = "", language: str = "id") -> FileScore:
    """Word and character edits of one hypothesis against its reference, both normalised."""
    ref, hyp = wer_tokens(reference, language=language), wer_tokens(hypothesis, language=language)
    ref_s, hyp_s = " ".join(ref), " ".join(hyp)
    return FileScore(
        audio=audio,
        reference=ref_s,
        hypothesis=hyp_s,
        word_edits=Levenshtein.distance(ref, hyp),
        words=len(ref),
        char_edits=Levenshtein.distance(ref_s, hyp_s),
        chars=len(ref_s),
    )


def read_manifest(path: str | os.PathLike[str]) -> list[ManifestRow]:
    """Rows of a TSV manifest: audio path, reference text (a header row ``audio<TAB>reference`` is optional).

    Raises
    ------
    CallscoreError
        Missing file, or a row without two columns (names the file and line).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise CallscoreError(f"{p}: manifest not found") from e
    except UnicodeDecodeError as e:
        raise CallscoreError(f"{p}: manifest is not UTF-8 text ({e.reason})") from e
    rows: list[ManifestRow] = []
    for n, cols in enumerate(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
        if not cols or not "".join(cols).strip() or cols[0].lstrip().startswith("#"):
            continue
        if n == 1 and tuple(c.strip().lower() for c in cols[:2]) == MANIFEST_COLUMNS:
            continue
        if len(cols) < 2 or not cols[0].strip():
            raise CallscoreError(f"{p}:{n}: expected two tab-separated columns: audio path, reference text")
        audio = Path(cols[0].strip())
        rows.append(ManifestRow(audio if audio.is_absolute() else p.parent / audio, "\t".join(cols[1:]), n))
    if not rows:
        raise CallscoreError(f"{p}: manifest has no rows (expected: audio path <TAB> reference text)")
    return rows


def evaluate_asr(
    rows: Sequence[ManifestRow],
    transcribe: Callable[[Path], str],
    *,
    language: str = "id",
    on_file: Callable[[FileScore], None] | None = None,
) -> AsrReport:
    """Transcribe every row with ``transcribe`` (path -> text) and score it; a failing file is recorded
    with its one-line reason and the rest go on."""
    out: list[FileScore] = []
    for row in rows:
        try:
            score = score_pair(row.reference, transcribe(row.audio), audio=str(row.audio), language=language)
        except CallscoreError as e:
            ref = " ".join(wer_tokens(row.reference, language=language))
            score = FileScore(str(row.audio), ref, "", 0, 0, 0, 0, error=str(e))
        out.append(score)
        if on_file is not None:
            on_file(score)
    return AsrReport(tuple(out))


def format_report(report: AsrReport, *, title: str = "") -> Iterable[str]:
    """Lines of a plain-text report: per file then overall."""
    if title:
        yield title
    yield f"{'WER':>7} {'CER':>7} {'words':>6}  file"
    for f in report.files:
        if f.error:
            yield f"{'-':>7} {'-':>7} {'-':>6}  {f.audio}  FAILED: {f.error}"
        else:
            yield f"{_pct(f.wer):>7} {_pct(f.cer):>7} {f.words:>6}  {f.audio}"
    words = sum(f.words for f in report.files if not f.error)
    yield f"{_pct(report.wer):>7} {_pct(report.cer):>7} {words:>6}  overall ({len(report.files)} files, "
    yield f"{'':>23}{report.failed} failed; after Indonesian normalisation, numbers digit by digit)"


def report_to_dict(report: AsrReport) -> dict[str, object]:
    """Plain JSON form."""
    return {
        "wer": report.wer,
        "cer": report.cer,
        "failed": report.failed,
        "files": [
            {
                "audio": f.audio,
                "wer": f.wer,
                "cer": f.cer,
                "words": f.words,
                "reference": f.reference,
                "hypothesis": f.hypothesis,
                "error": f.error,
            }
            for f in report.files
        ],
    }


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"
