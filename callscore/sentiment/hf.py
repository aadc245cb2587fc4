"""A transformers sequence-classification checkpoint as the sentiment model (the ``transformers`` extra).

For users with an IndoBERT-class sentiment checkpoint (a local folder, or a hub id already in their
Hugging Face cache). The checkpoint's ``id2label`` names its classes; they are mapped onto
negative / neutral / positive by name ("negative", "neg", "LABEL_0" by position for 2- or 3-class models).
A two-class model has no neutral: P(neutral) is 0.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import MissingDependencyError, ModelError

if TYPE_CHECKING:  # the torch extra; imported only when a checkpoint is loaded
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

from .types import NEGATIVE, NEUTRAL, POSITIVE, Sentiment, sentiment_from_probs

BATCH_SIZE = 32  # texts per forward pass
MAX_TOKENS = 256  # longer turns are truncated

_NAMES = {
    "negative": NEGATIVE,
    "neg": NEGATIVE,
    "negatif": NEGATIVE,
    "neutral": NEUTRAL,
    "neu": NEUTRAL,
    "netral": NEUTRAL,
    "positive": POSITIVE,
    "pos": POSITIVE,
    "positif": POSITIVE,
}


def label_map(id2label: dict[int, str]) -> dict[int, str]:
    """Class index -> our label, from a checkpoint's ``id2label``.

    Names are matched case-insensitively; generic names (``LABEL_0``...) are read by position:
    2 classes = negative, positive; 3 classes = negative, neutral, positive (the IndoNLU SmSA order is
    positive, neutral, negative and carries names, so it is matched by name).
    """
    named = {i: _NAMES.get(str(n).strip().lower()) for i, n in id2label.items()}
    if all(v is not None for v in named.values()) and len(set(named.values())) == len(named):
        return {i: v for i, v in named.items() if v is not None}
    order = {2: (NEGATIVE, POSITIVE), 3: (NEGATIVE, NEUTRAL, POSITIVE)}.get(len(id2label))
    if order is None:
        raise ModelError(f"cannot map the checkpoint's labels {sorted(id2label.values())} to sentiment")
    return {i: order[k] for k, i in enumerate(sorted(id2label))}


@dataclass(frozen=True)
class TransformersSentimentModel:
    """A sequence-classification checkpoint. Attributes: name, tokenizer, model, labels (index -> label)."""

    name: str
    tokenizer: PreTrainedTokenizerBase
    model: PreTrainedModel
    labels: dict[int, str]

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        """Sentiment of each text (batched, no gradients, CPU or wherever the model sits)."""
        import torch

        out: list[Sentiment] = []
        for i in range(0, len(texts), BATCH_SIZE):
            batch = [t if t.strip() else "." for t in texts[i : i + BATCH_SIZE]]
            enc = self.tokenizer(
                batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
            )
            with torch.no_grad():
                probs = torch.softmax(self.model(**enc).logits, dim=-1).cpu().numpy()
            for row in probs:
                p = {NEGATIVE: 0.0, NEUTRAL: 0.0, POSITIVE: 0.0}
                for j, v in enumerate(row):
                    p[self.labels[j]] += float(v)
                out.append(sentiment_from_probs(p[NEGATIVE], p[NEUTRAL], p[POSITIVE]))
        return out


def load_transformers_model(name: str) -> TransformersSentimentModel:
    """Load a local checkpoint folder or a hub id (from the local cache only unless HF_HUB_OFFLINE=0)."""
    try:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging
    except ImportError:
        raise MissingDependencyError(
            f"--sentiment-model {name}: needs the transformers backend: pip install 'callscore[transformers]'"
        ) from None
    local = os.path.isdir(name)
    if not local and ("/" not in name or name.startswith((".", os.sep))):
        raise ModelError(f"{name}: no such sentiment model folder (and not a hub id of the form owner/name)")
    hf_logging.disable_progress_bar()  # the CLI's stdout is a table or JSON
    offline = local or os.environ.get("HF_HUB_OFFLINE", "1") != "0"
    try:
        tokenizer = AutoTokenizer.from_pretrained(name, local_files_only=offline)
        model = AutoModelForSequenceClassification.from_pretrained(name, local_files_only=offline)
    except (OSError, ValueError) as e:
        raise ModelError(
            f"{name}: cannot load a sequence-classification checkpoint ({e})".splitlines()[0]
        ) from e
    model.eval()
    id2label = {int(k): str(v) for k, v in model.config.id2label.items()}
    return TransformersSentimentModel(name=name, tokenizer=tokenizer, model=model, labels=label_map(id2label))
