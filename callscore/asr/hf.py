"""transformers backend: Whisper through Hugging Face transformers, for fine-tuned checkpoints and GPUs.

By default it runs the bundled weights, converted once from CTranslate2 (never downloaded). It also takes
any transformers Whisper checkpoint: a local folder (an Indonesian fine-tune, say) or a hub id the user
passes explicitly.

transformers' long-form ``generate`` does the decoding (30 s windows, timestamps, temperature fallback);
its segments carry no scores and its long-form token timestamps are unreliable, so each decoded window
is re-read once by teacher forcing to get what the other backends report: the average log-probability and
no-speech probability of the window, word probabilities, and word times from the cross-attention of the
alignment heads aligned by dynamic time warping (:mod:`callscore.asr.timing`, after openai-whisper's
``timing.py``).
"""

from __future__ import annotations

import contextlib
import json
import string
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from callscore.asr._torch import pick_device, prompt_text, require, set_threads
from callscore.asr.base import DecodeSettings, RawSegment, RawWord
from callscore.asr.convert import hf_model_dir
from callscore.asr.models import get_spec
from callscore.asr.timing import TIME_PRECISION, WordTiming, align_words, dtw_matrix, take_words
from callscore.errors import ModelError

EXTRA = "transformers"
SAMPLE_RATE = 16000  # Hz
HOP_LENGTH = 160  # samples per mel frame (10 ms)
WINDOW_FRAMES = 3000  # mel frames per 30 s window
FRAME_S = HOP_LENGTH / SAMPLE_RATE  # s per mel frame
NO_SPACE_LANGUAGES = ("zh", "ja", "th", "lo", "my", "yue")  # split into words per character


@dataclass(frozen=True)
class _Window:
    """Segments transformers decoded from one 30 s window.

    Attributes:
        seek: First mel frame of the window.
        frames: Mel frames of real audio in the window (<= WINDOW_FRAMES).
        segments: (start s, end s, token ids) per segment, times absolute.
    """

    seek: int
    frames: int
    segments: tuple[tuple[float, float, tuple[int, ...]], ...]


class TransformersBackend:
    """Whisper through transformers; the model loads once per process.

    ``model``: None or a manifest name (bundled weights, converted once), a local transformers Whisper
    folder, a local CTranslate2 folder (converted once), or a hub id (downloaded by transformers only when
    the user passes one and it is not cached yet).
    """

    name = "transformers"

    def __init__(self, model: str | None, *, device: str = "cpu", cpu_threads: int = 0):
        torch = require("torch", extra=EXTRA)
        transformers = require("transformers", extra=EXTRA, attr="WhisperForConditionalGeneration")
        set_threads(torch, cpu_threads)
        self._torch = torch
        self._device = pick_device(torch, device)
        source, local_only, self.model_id, self.model_sha256 = _resolve(model)
        dtype = torch.float16 if self._device.startswith("cuda") else torch.float32
        try:
            self._model = transformers.WhisperForConditionalGeneration.from_pretrained(
                source, dtype=dtype, local_files_only=local_only
            ).to(self._device)
            self._processor = transformers.WhisperProcessor.from_pretrained(
                source, local_files_only=local_only
            )
        except (OSError, ValueError) as e:
            raise ModelError(f"{source}: transformers cannot load this Whisper model ({e})") from e
        self._model.eval()
        self._tok = self._processor.tokenizer
        self._gen = self._model.generation_config
        self._ids = _special_ids(self._tok)
        self._heads = _alignment_heads(self._gen, self._model.config)

    def transcribe(self, audio: np.ndarray, settings: DecodeSettings) -> list[RawSegment]:
        """Decode speech-only 16 kHz float32 mono audio (shape (n,)); VAD is already applied by the caller."""
        torch = self._torch
        y = np.ascontiguousarray(audio, dtype=np.float32)
        if y.size == 0:
            return []
        long_form = y.size > WINDOW_FRAMES * HOP_LENGTH
        fe = self._processor.feature_extractor
        if long_form:
            inputs = fe(
                y,
                sampling_rate=SAMPLE_RATE,
                return_tensors="pt",
                truncation=False,
                padding="longest",
                return_attention_mask=True,
            )
        else:
            inputs = fe(y, sampling_rate=SAMPLE_RATE, return_tensors="pt", return_attention_mask=True)
        features = inputs.input_features.to(self._device, self._model.dtype)
        total_frames = min(int(np.ceil(y.size / HOP_LENGTH)), features.shape[-1])
        kwargs: dict[str, Any] = {
            "language": settings.language,
            "task": "transcribe",
            "num_beams": settings.beam_size,
            "temperature": tuple(settings.temperature),
            "logprob_threshold": settings.log_prob_threshold,
            "compression_ratio_threshold": settings.compression_ratio_threshold,
            "no_speech_threshold": settings.no_speech_threshold,
            "condition_on_prev_tokens": settings.condition_on_previous_text,
            "return_timestamps": True,
            "return_segments": True,
        }
        if long_form:
            kwargs["attention_mask"] = inputs.attention_mask.to(self._device)
        if prompt := prompt_text(settings):
            kwargs["prompt_ids"] = torch.tensor(self._processor.get_prompt_ids(prompt), device=self._device)
        with torch.inference_mode():
            out = self._model.generate(features, **kwargs)
        windows = _windows(out["segments"][0], self._ids["timestamp_begin"], total_frames)
        segments: list[RawSegment] = []
        for window in windows:
            segments.extend(self._score_window(features, window, settings.language))
        return segments

    # --- teacher-forced re-read of one window ---

    def _score_window(self, features: Any, window: _Window, language: str) -> list[RawSegment]:
        torch = self._torch
        ids = self._ids
        mel = features[:, :, window.seek : window.seek + WINDOW_FRAMES]
        if mel.shape[-1] < WINDOW_FRAMES:  # as transformers pads the last window
            mel = torch.nn.functional.pad(mel, (0, WINDOW_FRAMES - mel.shape[-1]))
        sot_seq = [ids["sot"], self._language_id(language), ids["transcribe"]]
        all_tokens = [t for _, _, toks in window.segments for t in toks]
        text_tokens = [t for t in all_tokens if t < ids["eot"]]
        with torch.inference_mode():
            enc = self._model.model.encoder(mel).last_hidden_state
            # 1) scores: the tokens as decoded (with timestamps), like Whisper's DecodingResult
            scored = torch.tensor([[*sot_seq, *all_tokens, ids["eot"]]], device=self._device)
            logits = self._model(encoder_outputs=(enc,), decoder_input_ids=scored).logits[0].float()
            logp = torch.log_softmax(logits, dim=-1)
            targets = scored[0, len(sot_seq) :]
            token_logp = logp[len(sot_seq) - 1 : -1].gather(1, targets[:, None])[:, 0]
            avg_logprob = float(token_logp.sum()) / (len(targets))
            no_speech = (
                float(torch.softmax(logits[0], dim=-1)[ids["no_speech"]]) if ids["no_speech"] >= 0 else 0.0
            )
            # 2) word times: text tokens only, no timestamps, cross-attention of the alignment heads
            words = self._align(enc, sot_seq, text_tokens, window, language) if text_tokens else []
        text = self._tok.decode(text_tokens)
        compression = _compression_ratio(text)
        out = []
        cursor = 0
        for start, end, toks in window.segments:
            n_text = sum(1 for t in toks if t < ids["eot"])
            timed, consumed = take_words(words, cursor, n_text)
            cursor += consumed
            seg_text = self._tok.decode([t for t in toks if t < ids["eot"]])
            seg_words = tuple(
                RawWord(min(max(w.start, start), end), min(max(w.end, start), end), w.text, w.probability)
                for w in timed
            )
            out.append(
                RawSegment(
                    start=start,
                    end=end,
                    text=seg_text,
                    words=seg_words,
                    avg_logprob=avg_logprob,
                    no_speech_prob=no_speech,
                    compression_ratio=compression,
                )
            )
        return out

    def _align(
        self, enc: Any, sot_seq: list[int], text_tokens: list[int], window: _Window, language: str
    ) -> list[WordTiming]:
        torch = self._torch
        ids = self._ids
        seq = [*sot_seq, ids["no_timestamps"], *text_tokens, ids["eot"]]
        tokens = torch.tensor([seq], device=self._device)
        with self._eager_attention():
            out = self._model(encoder_outputs=(enc,), decoder_input_ids=tokens, output_attentions=True)
        logits = out.logits[0, len(sot_seq) :, : ids["eot"]].float()
        probs = torch.softmax(logits, dim=-1)
        text_probs = probs[torch.arange(len(text_tokens)), torch.tensor(text_tokens)].cpu().numpy()
        frames = max(window.frames // 2, 1)
        # (heads, tokens, frames); rows renormalised over the real-audio frames = softmax over them
        weights = torch.stack([out.cross_attentions[layer][0, head] for layer, head in self._heads])
        weights = weights[:, :, :frames].float()
        weights = weights / weights.sum(dim=-1, keepdim=True).clamp_min(1e-10)
        matrix = dtw_matrix(weights=weights.cpu().numpy(), n_prefix=len(sot_seq))
        return align_words(
            matrix=matrix,
            words=self._split_words(text_tokens, language),
            token_probs=text_probs,
            offset=window.seek * FRAME_S,
        )

    @contextlib.contextmanager
    def _eager_attention(self) -> Iterator[None]:
        """Eager attention for one call: the fused kernels (sdpa) do not return attention weights."""
        current = getattr(self._model.config, "_attn_implementation", "eager")
        switch = current != "eager" and hasattr(self._model, "set_attn_implementation")
        if switch:
            self._model.set_attn_implementation("eager")
        try:
            yield
        finally:
            if switch:
                self._model.set_attn_implementation(current)

    def _split_words(self, tokens: list[int], language: str) -> list[tuple[str, list[int]]]:
        """Whisper's word split: a new word at a leading space or punctuation, never inside a character."""
        pieces: list[tuple[str, list[int]]] = []
        current: list[int] = []
        for t in tokens:
            current.append(t)
            piece = self._tok.decode(current)
            if "\ufffd" not in piece:  # a multi-token UTF-8 character is complete only now
                pieces.append((piece, current))
                current = []
        if current:
            pieces.append((self._tok.decode(current), current))
        if language in NO_SPACE_LANGUAGES:
            return pieces
        words: list[tuple[str, list[int]]] = []
        for piece, toks in pieces:
            if not words or piece.startswith(" ") or piece.strip() in string.punctuation:
                words.append((piece, list(toks)))
            else:
                words[-1] = (words[-1][0] + piece, words[-1][1] + toks)
        return words

    def _language_id(self, language: str) -> int:
        lang_to_id = getattr(self._gen, "lang_to_id", None) or {}
        key = f"<|{language}|>"
        if key in lang_to_id:
            return int(lang_to_id[key])
        tid = self._tok.convert_tokens_to_ids(key)
        if isinstance(tid, int) and tid >= 0 and tid != self._tok.unk_token_id:
            return tid
        raise ModelError(
            f"language {language!r}: the model has no <|{language}|> token; pick a Whisper language code"
        )


def _windows(segments: list[dict[str, Any]], timestamp_begin: int, total_frames: int) -> list[_Window]:
    """Group transformers' segments by the 30 s window they were decoded in."""
    groups: dict[int, list[tuple[float, float, tuple[int, ...]]]] = {}
    for seg in segments:
        toks = tuple(int(t) for t in seg["tokens"])
        start, end = float(seg["start"]), float(seg["end"])
        first_ts = toks[0] - timestamp_begin if toks and toks[0] >= timestamp_begin else 0
        seek = max(int(round((start - first_ts * TIME_PRECISION) / FRAME_S)), 0)
        groups.setdefault(seek, []).append((start, end, toks))
    return [
        _Window(seek=s, frames=min(WINDOW_FRAMES, max(total_frames - s, 1)), segments=tuple(segs))
        for s, segs in sorted(groups.items())
    ]


def _compression_ratio(text: str) -> float:
    """gzip-style compression ratio of the text (Whisper's repetition measure)."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _special_ids(tok: Any) -> dict[str, int]:
    """Ids of Whisper's special tokens, from the tokenizer (fine-tunes may lack a generation config)."""

    def tid(token: str) -> int:
        value = tok.convert_tokens_to_ids(token)
        known = isinstance(value, int) and (value != tok.unk_token_id or token == tok.unk_token)
        return int(value) if known else -1

    ids = {
        "eot": tid("<|endoftext|>"),
        "sot": tid("<|startoftranscript|>"),
        "transcribe": tid("<|transcribe|>"),
        "no_timestamps": tid("<|notimestamps|>"),
        "no_speech": max(tid("<|nospeech|>"), tid("<|nocaptions|>")),
    }
    missing = [k for k in ("eot", "sot", "transcribe", "no_timestamps") if ids[k] < 0]
    if missing:
        raise ModelError(
            f"tokenizer lacks Whisper special tokens ({', '.join(missing)}); not a Whisper model"
        )
    ids["timestamp_begin"] = ids["no_timestamps"] + 1
    return ids


def _alignment_heads(gen: Any, config: Any) -> list[tuple[int, int]]:
    """Alignment heads from the generation config, else every head of the decoder's upper half
    (openai-whisper's fallback for checkpoints without them)."""
    heads = getattr(gen, "alignment_heads", None)
    if heads:
        return [(int(layer), int(head)) for layer, head in heads]
    n_layers, n_heads = int(config.decoder_layers), int(config.decoder_attention_heads)
    return [(layer, head) for layer in range(n_layers // 2, n_layers) for head in range(n_heads)]


def _resolve(model: str | None) -> tuple[str, bool, str, str]:
    """(what to pass to from_pretrained, local files only?, model id, weights sha256 or "")."""
    if model is None:
        spec = get_spec(None)
        return str(hf_model_dir(None)), True, spec.name, spec.sha256.get("model.bin", "")
    path = Path(model).expanduser()
    if path.is_dir():
        if (path / "config.json").is_file() and _is_transformers_whisper(path / "config.json"):
            return str(path), True, str(path), ""
        if (path / "model.bin").is_file():  # a CTranslate2 Whisper folder
            return str(hf_model_dir(str(path))), True, str(path), ""
        raise ModelError(
            f"{path}: neither a transformers Whisper folder (config.json) nor CTranslate2 (model.bin)"
        )
    try:
        spec = get_spec(model)
    except ModelError:
        if "/" in model:  # a hub id: transformers resolves it (cache first, download if the user allows it)
            return model, False, model, ""
        raise
    return str(hf_model_dir(spec.name)), True, spec.name, spec.sha256.get("model.bin", "")


def _is_transformers_whisper(config_path: Path) -> bool:
    try:
        return json.loads(config_path.read_text(encoding="utf-8")).get("model_type") == "whisper"
    except (OSError, ValueError):
        return False
