"""``--sentiment-model``, declared once for every command that scores (``score``, ``batch``).

"bundled" (default) scores each turn with the bundled model of the rubric's language (numpy, well under a
millisecond per turn); "off" skips sentiment (its rubric items are then not measured); anything else is a
model name, a ``.npz`` file of ours or a transformers checkpoint (folder or hub id; the transformers extra).
"""

from __future__ import annotations

from typing import Annotated

import typer

from callscore.pipeline import BUNDLED_SENTIMENT, NO_SENTIMENT

SentimentModelOption = Annotated[
    str,
    typer.Option(
        "--sentiment-model",
        help=f"Sentiment model: {BUNDLED_SENTIMENT}, {NO_SENTIMENT}, a .npz model, or a transformers "
        "checkpoint folder / hub id (transformers extra).",
    ),
]
DEFAULT_SENTIMENT_MODEL = BUNDLED_SENTIMENT
