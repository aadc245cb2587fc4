"""One error hierarchy, so the CLI and the batch runner can turn any failure into one clear line."""

from __future__ import annotations


class CallscoreError(Exception):
    """Base class: the message is meant for the user and names the file/field and what to do."""


class AudioError(CallscoreError):
    """Audio that cannot be used: missing, unreadable, not audio, empty, silent, too long."""


class ModelError(CallscoreError):
    """A model that is unknown, missing, corrupt or whose backend is not installed."""


class TranscriptError(CallscoreError):
    """A transcript JSON that cannot be read (wrong schema, wrong version, broken JSON)."""


class RubricError(CallscoreError):
    """A rubric file that fails validation; the message names file, line and problem."""


class MissingDependencyError(CallscoreError):
    """An optional dependency is not installed; the message names the extra to install."""


class LanguageDataError(CallscoreError):
    """A per-language data file (role cues, back-channels, lexicon) that is missing or malformed."""
