"""Convert the bundled CTranslate2 Whisper weights for the torch backends, offline and once.

The only Whisper weights we can ship (PyPI wheels) are a CTranslate2 ``model.bin``. openai-whisper and
transformers read other layouts, so this module reads ``model.bin`` directly (the binary layout written by
CTranslate2's own serializer, ``python/ctranslate2/specs/model_spec.py``: ``_serialize``) and writes

* an openai-whisper checkpoint, ``<cache>/models/<name>-openai/model.pt`` (``dims`` + ``model_state_dict``),
  loadable with ``whisper.load_model(path)``;
* a transformers folder, ``<cache>/models/<name>-hf/`` (config, safetensors weights, generation config,
  tokenizer and feature-extractor files), loadable offline with ``WhisperForConditionalGeneration`` and
  ``WhisperProcessor``.

CTranslate2 fuses the attention projections (q/k/v in self-attention, k/v in cross-attention) and stores
a zero key bias, because Whisper's key projection has none; the output projection is an alias of the
token embedding (tied). Both conversions undo exactly that, tensor for tensor, so the three backends run
the same weights. Outputs are written to a temp folder and renamed into place, and are deterministic
(same bytes every time), so a cache entry is either complete or absent.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from callscore.asr.models import cache_root, get_spec, resolve_model_dir
from callscore.errors import MissingDependencyError, ModelError
from callscore.files import file_sha256

CONVERTER_VERSION = 1  # bump when the output layout changes: cached conversions are then redone
STAMP_FILE = "callscore-conversion.json"  # records source checksum + converter version in each output
OPENAI_CHECKPOINT = "model.pt"
HF_WEIGHTS = "model.safetensors"
SUPPORTED_BINARY_VERSIONS = (5, 6)  # CTranslate2 model.bin versions with the layout read here
WHISPER_SPEC = "WhisperSpec"
SAMPLE_RATE = 16000  # Hz
N_FFT = 400  # samples (25 ms)
HOP_LENGTH = 160  # samples (10 ms)
CHUNK_LENGTH = 30  # s, Whisper's window
MEDIAN_FILTER_WIDTH = 7  # frames, for word-level DTW (Whisper's default)
MAX_INITIAL_TIMESTAMP_INDEX = 50  # 1.0 s at 20 ms per timestamp token, as openai-whisper
# CTranslate2 DataType enum order (include/ctranslate2/types.h); bfloat16 is read as its raw uint16 bits.
_CT2_DTYPES: dict[int, np.dtype[Any]] = {
    0: np.dtype("<f4"),
    1: np.dtype("i1"),
    2: np.dtype("<i2"),
    3: np.dtype("<i4"),
    4: np.dtype("<f2"),
    5: np.dtype("<u2"),
}


@dataclass(frozen=True)
class CT2Model:
    """The variables of a CTranslate2 ``model.bin``.

    Attributes:
        spec: Model spec name (``WhisperSpec``).
        revision: Spec revision.
        variables: Variable name (``encoder/layer_0/ffn/linear_0/weight``) -> array (read-only view).
        aliases: Alias name -> the variable it points to (tied weights).
        source: Path of the ``model.bin`` read.
    """

    spec: str
    revision: int
    variables: dict[str, np.ndarray]
    aliases: dict[str, str]
    source: str

    def get(self, name: str) -> np.ndarray:
        """A variable by name, following aliases; raises ModelError when absent."""
        target = self.aliases.get(name, name)
        try:
            return self.variables[target]
        except KeyError:
            raise ModelError(
                f"{self.source}: variable {name!r} missing; not a Whisper CTranslate2 model"
            ) from None

    def scalar(self, name: str) -> int:
        """An integer scalar variable (head counts, flags)."""
        return int(self.get(name).reshape(()))


@dataclass(frozen=True)
class WhisperDims:
    """Model dimensions, with openai-whisper's field names (``ModelDimensions``).

    Attributes: n_mels, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_vocab, n_text_ctx,
    n_text_state, n_text_head, n_text_layer.
    """

    n_mels: int
    n_audio_ctx: int
    n_audio_state: int
    n_audio_head: int
    n_audio_layer: int
    n_vocab: int
    n_text_ctx: int
    n_text_state: int
    n_text_head: int
    n_text_layer: int


def read_ct2_model(path: str | os.PathLike[str]) -> CT2Model:
    """Parse a CTranslate2 ``model.bin`` (binary versions 5-6) without CTranslate2 itself.

    Layout (little endian): u32 version, string spec name, u32 revision, u32 count, then per variable:
    string name, u8 rank, u32 dims[rank], u8 dtype id, u32 byte count, raw bytes; then u32 alias count and
    (alias, target) string pairs. A string is u16 length (including a NUL) + UTF-8 bytes + NUL.
    """
    p = Path(path)
    try:
        data = memoryview(p.read_bytes())
    except OSError as e:
        raise ModelError(f"{p}: cannot read the CTranslate2 model ({e})") from e
    off = 0

    def take(fmt: str) -> int:
        nonlocal off
        (value,) = struct.unpack_from("<" + fmt, data, off)
        off += struct.calcsize("<" + fmt)
        return int(value)

    def text() -> str:
        nonlocal off
        n = take("H")
        if n == 0 or off + n > len(data):  # slicing past the end would silently shorten the name
            raise ValueError(f"string of {n} bytes at offset {off} runs past the end of the file")
        s = bytes(data[off : off + n - 1]).decode("utf-8")
        off += n
        return s

    try:
        version = take("I")
        if version not in SUPPORTED_BINARY_VERSIONS:
            raise ModelError(
                f"{p}: CTranslate2 binary version {version} not supported "
                f"(supported: {SUPPORTED_BINARY_VERSIONS}); re-convert the model with a matching ctranslate2"
            )
        spec, revision = text(), take("I")
        variables: dict[str, np.ndarray] = {}
        for _ in range(take("I")):
            name = text()
            shape = tuple(take("I") for _ in range(take("B")))
            dtype_id, nbytes = take("B"), take("I")
            if dtype_id not in _CT2_DTYPES:
                raise ModelError(f"{p}: variable {name!r} has unknown dtype id {dtype_id}")
            if off + nbytes > len(data):
                raise ValueError(f"variable {name!r} needs {nbytes} bytes at offset {off}, file ends first")
            arr = np.frombuffer(
                data, dtype=_CT2_DTYPES[dtype_id], count=nbytes // _CT2_DTYPES[dtype_id].itemsize, offset=off
            )
            variables[name] = arr.reshape(shape)
            off += nbytes
        aliases = {}
        for _ in range(take("I")):
            alias = text()
            aliases[alias] = text()
    except (struct.error, ValueError, UnicodeDecodeError) as e:
        raise ModelError(
            f"{p}: truncated or corrupt CTranslate2 model.bin ({e}); delete it and re-assemble"
        ) from e
    if off != len(data):
        raise ModelError(f"{p}: {len(data) - off} trailing bytes after the model; file is corrupt")
    variables = dequantise(variables, source=str(p))
    return CT2Model(spec=spec, revision=revision, variables=variables, aliases=aliases, source=str(p))


def dequantise(variables: dict[str, np.ndarray], *, source: str) -> dict[str, np.ndarray]:
    """Float16 copies of quantised or bfloat16 weights, so every converted checkpoint holds real values.

    CTranslate2 stores ``int8*`` weights as ``round(w * s)`` with a per-row ``<name>_scale`` (``s = 127 /
    max|row|``) and ``int16`` with one scalar scale; ``w = q / s``. bfloat16 (read as raw uint16 bits) is
    widened to float32 first. An integer weight without its scale cannot be recovered and is refused:
    converting it as is would give a checkpoint with wrong weights and no error.
    """
    out = dict(variables)
    for name, arr in variables.items():
        if name.endswith("_scale"):
            continue
        scale = variables.get(f"{name}_scale")
        if arr.dtype == np.uint16 and scale is None:  # bfloat16: the high half of a float32
            wide = (arr.astype(np.uint32) << 16).view(np.float32)
            out[name] = _to_float16(wide, name=name, source=source)
        elif arr.dtype in (np.int8, np.int16) and name.rsplit("/", 1)[-1] == "weight":
            if scale is None:
                raise ModelError(
                    f"{source}: {name!r} is {arr.dtype} without {name}_scale; cannot dequantise it: "
                    "convert the model with a float16/float32 compute type"
                )
            s = _float(scale)
            if s.size == 1:
                w = arr.astype(np.float32) / s.reshape(())
            elif arr.ndim >= 1 and s.size == arr.shape[0]:
                w = arr.astype(np.float32) / s.reshape((-1,) + (1,) * (arr.ndim - 1))
            else:
                raise ModelError(
                    f"{source}: {name}_scale has shape {s.shape}, weight {arr.shape}: cannot dequantise"
                )
            out[name] = _to_float16(w, name=name, source=source)
            out.pop(f"{name}_scale", None)
    return out


def _float(arr: np.ndarray) -> np.ndarray:
    if arr.dtype == np.uint16:
        return (arr.astype(np.uint32) << 16).view(np.float32)
    return arr.astype(np.float32)


def _to_float16(w: np.ndarray, *, name: str, source: str) -> np.ndarray:
    if not np.all(np.isfinite(w)) or np.abs(w).max(initial=0.0) > np.finfo(np.float16).max:
        raise ModelError(f"{source}: {name!r} does not fit float16 after dequantising; model is corrupt")
    return w.astype(np.float16)


def whisper_dims(model: CT2Model) -> WhisperDims:
    """Dimensions of a Whisper CTranslate2 model, read from its tensor shapes."""
    if model.spec != WHISPER_SPEC:
        raise ModelError(f"{model.source}: a {model.spec} model, not Whisper ({WHISPER_SPEC})")
    n_state, n_mels, _ = model.get("encoder/conv1/weight").shape
    n_vocab, n_text_state = model.get("decoder/embeddings/weight").shape
    return WhisperDims(
        n_mels=int(n_mels),
        n_audio_ctx=int(model.get("encoder/position_encodings/encodings").shape[0]),
        n_audio_state=int(n_state),
        n_audio_head=model.scalar("encoder/num_heads"),
        n_audio_layer=_count_layers(model, "encoder"),
        n_vocab=int(n_vocab),
        n_text_ctx=int(model.get("decoder/position_encodings/encodings").shape[0]),
        n_text_state=int(n_text_state),
        n_text_head=model.scalar("decoder/num_heads"),
        n_text_layer=_count_layers(model, "decoder"),
    )


def _count_layers(model: CT2Model, side: str) -> int:
    n = 0
    while f"{side}/layer_{n}/ffn/linear_0/weight" in model.variables:
        n += 1
    if n == 0:
        raise ModelError(f"{model.source}: no {side} layers found; not a Whisper CTranslate2 model")
    return n


def _split(arr: np.ndarray, parts: int) -> list[np.ndarray]:
    if arr.shape[0] % parts:
        raise ModelError(f"fused projection of {arr.shape[0]} rows does not split in {parts}")
    return list(np.split(arr, parts, axis=0))


def _attention(
    model: CT2Model, scope: str, *, cross: bool, prefix: str, names: tuple[str, str, str, str]
) -> dict[str, np.ndarray]:
    """Unfused q/k/v/out weights of one attention block, keyed ``<prefix>.<q|k|v|o name>.<weight|bias>``."""
    q, k, v, o = (f"{prefix}.{n}" for n in names)
    out: dict[str, np.ndarray] = {}
    if cross:
        out[f"{q}.weight"] = model.get(f"{scope}/linear_0/weight")
        out[f"{q}.bias"] = model.get(f"{scope}/linear_0/bias")
        kw, vw = _split(model.get(f"{scope}/linear_1/weight"), 2)
        kb, vb = _split(model.get(f"{scope}/linear_1/bias"), 2)
        ow, ob = model.get(f"{scope}/linear_2/weight"), model.get(f"{scope}/linear_2/bias")
    else:
        qw, kw, vw = _split(model.get(f"{scope}/linear_0/weight"), 3)
        qb, kb, vb = _split(model.get(f"{scope}/linear_0/bias"), 3)
        out[f"{q}.weight"], out[f"{q}.bias"] = qw, qb
        ow, ob = model.get(f"{scope}/linear_1/weight"), model.get(f"{scope}/linear_1/bias")
    if np.any(kb):
        # Whisper's key projection has no bias; CTranslate2 stores zeros. Anything else is another model.
        raise ModelError(f"{model.source}: {scope} has a non-zero key bias; not an OpenAI Whisper model")
    out[f"{k}.weight"] = kw
    out[f"{v}.weight"], out[f"{v}.bias"] = vw, vb
    out[f"{o}.weight"], out[f"{o}.bias"] = ow, ob
    return out


def _norm(model: CT2Model, scope: str, name: str) -> dict[str, np.ndarray]:
    return {f"{name}.weight": model.get(f"{scope}/gamma"), f"{name}.bias": model.get(f"{scope}/beta")}


def _linear(model: CT2Model, scope: str, name: str) -> dict[str, np.ndarray]:
    return {f"{name}.weight": model.get(f"{scope}/weight"), f"{name}.bias": model.get(f"{scope}/bias")}


def openai_state_dict(model: CT2Model) -> dict[str, np.ndarray]:
    """openai-whisper ``Whisper.state_dict()`` names -> arrays (float16 as stored; no output projection:
    openai-whisper computes logits with the token embedding itself)."""
    dims = whisper_dims(model)
    sd: dict[str, np.ndarray] = {}
    for conv in ("conv1", "conv2"):
        sd.update(_linear(model, f"encoder/{conv}", f"encoder.{conv}"))
    sd["encoder.positional_embedding"] = model.get("encoder/position_encodings/encodings")
    attn: tuple[str, str, str, str] = ("query", "key", "value", "out")
    for i in range(dims.n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        sd.update(_attention(model, f"{src}/self_attention", cross=False, prefix=f"{dst}.attn", names=attn))
        sd.update(_norm(model, f"{src}/self_attention/layer_norm", f"{dst}.attn_ln"))
        sd.update(_linear(model, f"{src}/ffn/linear_0", f"{dst}.mlp.0"))
        sd.update(_linear(model, f"{src}/ffn/linear_1", f"{dst}.mlp.2"))
        sd.update(_norm(model, f"{src}/ffn/layer_norm", f"{dst}.mlp_ln"))
    sd.update(_norm(model, "encoder/layer_norm", "encoder.ln_post"))
    sd["decoder.token_embedding.weight"] = model.get("decoder/embeddings/weight")
    sd["decoder.positional_embedding"] = model.get("decoder/position_encodings/encodings")
    for i in range(dims.n_text_layer):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        sd.update(_attention(model, f"{src}/self_attention", cross=False, prefix=f"{dst}.attn", names=attn))
        sd.update(_norm(model, f"{src}/self_attention/layer_norm", f"{dst}.attn_ln"))
        sd.update(_attention(model, f"{src}/attention", cross=True, prefix=f"{dst}.cross_attn", names=attn))
        sd.update(_norm(model, f"{src}/attention/layer_norm", f"{dst}.cross_attn_ln"))
        sd.update(_linear(model, f"{src}/ffn/linear_0", f"{dst}.mlp.0"))
        sd.update(_linear(model, f"{src}/ffn/linear_1", f"{dst}.mlp.2"))
        sd.update(_norm(model, f"{src}/ffn/layer_norm", f"{dst}.mlp_ln"))
    sd.update(_norm(model, "decoder/layer_norm", "decoder.ln"))
    _check_tied(model)
    return sd


def hf_state_dict(model: CT2Model) -> dict[str, np.ndarray]:
    """transformers ``WhisperForConditionalGeneration`` names -> arrays; ``proj_out`` is left out because
    it is tied to ``model.decoder.embed_tokens`` (``tie_word_embeddings``)."""
    dims = whisper_dims(model)
    sd: dict[str, np.ndarray] = {}
    for conv in ("conv1", "conv2"):
        sd.update(_linear(model, f"encoder/{conv}", f"model.encoder.{conv}"))
    sd["model.encoder.embed_positions.weight"] = model.get("encoder/position_encodings/encodings")
    attn: tuple[str, str, str, str] = ("q_proj", "k_proj", "v_proj", "out_proj")
    for i in range(dims.n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"model.encoder.layers.{i}"
        sd.update(
            _attention(model, f"{src}/self_attention", cross=False, prefix=f"{dst}.self_attn", names=attn)
        )
        sd.update(_norm(model, f"{src}/self_attention/layer_norm", f"{dst}.self_attn_layer_norm"))
        sd.update(_linear(model, f"{src}/ffn/linear_0", f"{dst}.fc1"))
        sd.update(_linear(model, f"{src}/ffn/linear_1", f"{dst}.fc2"))
        sd.update(_norm(model, f"{src}/ffn/layer_norm", f"{dst}.final_layer_norm"))
    sd.update(_norm(model, "encoder/layer_norm", "model.encoder.layer_norm"))
    sd["model.decoder.embed_tokens.weight"] = model.get("decoder/embeddings/weight")
    sd["model.decoder.embed_positions.weight"] = model.get("decoder/position_encodings/encodings")
    for i in range(dims.n_text_layer):
        src, dst = f"decoder/layer_{i}", f"model.decoder.layers.{i}"
        sd.update(
            _attention(model, f"{src}/self_attention", cross=False, prefix=f"{dst}.self_attn", names=attn)
        )
        sd.update(_norm(model, f"{src}/self_attention/layer_norm", f"{dst}.self_attn_layer_norm"))
        sd.update(_attention(model, f"{src}/attention", cross=True, prefix=f"{dst}.encoder_attn", names=attn))
        sd.update(_norm(model, f"{src}/attention/layer_norm", f"{dst}.encoder_attn_layer_norm"))
        sd.update(_linear(model, f"{src}/ffn/linear_0", f"{dst}.fc1"))
        sd.update(_linear(model, f"{src}/ffn/linear_1", f"{dst}.fc2"))
        sd.update(_norm(model, f"{src}/ffn/layer_norm", f"{dst}.final_layer_norm"))
    sd.update(_norm(model, "decoder/layer_norm", "model.decoder.layer_norm"))
    _check_tied(model)
    return sd


def _check_tied(model: CT2Model) -> None:
    """Both targets assume the output projection is the token embedding; refuse a model where it is not."""
    if model.aliases.get("decoder/projection/weight") != "decoder/embeddings/weight":
        raise ModelError(
            f"{model.source}: decoder output projection is not tied to the token embedding; "
            "this converter only handles OpenAI Whisper layouts"
        )


# --- Whisper metadata (from the CTranslate2 folder's config.json / tokenizer.json) ---


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"{path}: cannot read ({e}); the model folder is incomplete") from e


def _special_ids(tokenizer: dict[str, Any]) -> dict[str, int]:
    return {t["content"]: int(t["id"]) for t in tokenizer.get("added_tokens", ())}


def alignment_heads(model_dir: Path) -> list[tuple[int, int]]:
    """(decoder layer, head) pairs whose cross-attention follows the audio, from config.json."""
    heads = _read_json(model_dir / "config.json").get("alignment_heads") or []
    return [(int(layer), int(head)) for layer, head in heads]


def encode_alignment_heads(heads: list[tuple[int, int]], dims: WhisperDims) -> str:
    """openai-whisper's alignment-head dump (base85 of gzip of a bool mask), as in ``_ALIGNMENT_HEADS``.

    gzip's header carries a timestamp: it is fixed to 0 so the dump (and the checkpoint) is deterministic.
    """
    import base64
    import gzip

    mask = np.zeros((dims.n_text_layer, dims.n_text_head), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes(), mtime=0)).decode("ascii")


# --- writing ---


def _source_stamp(model_dir: Path, name: str) -> dict[str, Any]:
    spec_sha = ""
    with contextlib.suppress(ModelError):  # a folder path has no manifest entry: hash it instead
        spec_sha = get_spec(name).sha256.get("model.bin", "")
    return {
        "converter_version": CONVERTER_VERSION,
        "source": name,
        "source_model_sha256": spec_sha or file_sha256(model_dir / "model.bin"),
    }


def _stamp_matches(out: Path, stamp: dict[str, Any]) -> bool:
    try:
        return bool(json.loads((out / STAMP_FILE).read_text(encoding="utf-8")) == stamp)
    except (OSError, ValueError):
        return False


def _write_atomically(out: Path, stamp: dict[str, Any], fill: Any) -> Path:
    """Run ``fill(tmp_dir)`` in a temp folder next to ``out``, stamp it, then rename it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes 0700: model files hold no personal data, a team shares them
        fill(tmp)
        _write_json(tmp / STAMP_FILE, stamp)
        for f in tmp.rglob("*"):
            f.chmod(0o755 if f.is_dir() else 0o644)
        if out.exists():  # stale (older converter or other source): replace it
            shutil.rmtree(out)
        try:
            os.replace(tmp, out)
        except OSError:
            if not _stamp_matches(out, stamp):  # not a concurrent twin that won the race
                raise
    except OSError as e:
        raise ModelError(f"cannot write the converted model to {out}: {e}") from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def _import_torch() -> Any:
    try:
        import torch
    except ImportError as e:
        raise MissingDependencyError(
            "converting Whisper weights needs torch: pip install 'callscore[openai-whisper]'"
        ) from e
    return torch


def write_openai_checkpoint(model_dir: Path, target: Path) -> Path:
    """Write ``target`` (a ``.pt`` file) from the CTranslate2 folder ``model_dir``; returns ``target``.

    The checkpoint holds ``dims``, ``model_state_dict`` (float16, as shipped) and ``alignment_heads`` (an
    extra key openai-whisper ignores on load; the backend applies it with ``set_alignment_heads``).
    """
    torch = _import_torch()
    model = read_ct2_model(model_dir / "model.bin")
    dims = whisper_dims(model)
    state = {k: torch.from_numpy(np.array(v)) for k, v in openai_state_dict(model).items()}
    checkpoint = {
        "dims": dict(vars(dims)),
        "model_state_dict": state,
        "alignment_heads": encode_alignment_heads(alignment_heads(model_dir), dims),
    }
    torch.save(checkpoint, target)
    return target


def write_hf_folder(model_dir: Path, target: Path) -> Path:
    """Fill the folder ``target`` with a transformers Whisper model converted from ``model_dir``."""
    try:
        from safetensors.numpy import save_file
    except ImportError as e:
        raise MissingDependencyError(
            "converting Whisper weights for transformers needs safetensors: "
            "pip install 'callscore[transformers]'"
        ) from e
    model = read_ct2_model(model_dir / "model.bin")
    dims = whisper_dims(model)
    tensors = {k: np.ascontiguousarray(v) for k, v in hf_state_dict(model).items()}
    save_file(tensors, str(target / HF_WEIGHTS), metadata={"format": "pt"})
    ffn_dim = int(model.get("encoder/layer_0/ffn/linear_0/weight").shape[0])
    for name, obj in hf_metadata(model_dir, dims, ffn_dim=ffn_dim).items():
        _write_json(target / name, obj)
    tokenizer = _read_json(model_dir / "tokenizer.json")
    shutil.copyfile(model_dir / "tokenizer.json", target / "tokenizer.json")
    _write_json(target / "vocab.json", tokenizer["model"]["vocab"])
    merges = tokenizer["model"]["merges"]
    lines = [m if isinstance(m, str) else " ".join(m) for m in merges]
    (target / "merges.txt").write_text("#version: 0.2\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return target


def hf_metadata(model_dir: Path, dims: WhisperDims, *, ffn_dim: int) -> dict[str, dict[str, Any]]:
    """config.json, generation_config.json, tokenizer and feature-extractor configs for transformers."""
    ct2_config = _read_json(model_dir / "config.json")
    tokenizer = _read_json(model_dir / "tokenizer.json")
    special = _special_ids(tokenizer)
    by_id = {v: k for k, v in special.items()}
    eot = special["<|endoftext|>"]
    sot = special["<|startoftranscript|>"]
    lang_to_id = {by_id[i]: int(i) for i in ct2_config.get("lang_ids", ()) if i in by_id}
    suppress = [int(i) for i in ct2_config.get("suppress_ids", ())]
    begin_suppress = [int(i) for i in ct2_config.get("suppress_ids_begin", (220, eot))]
    heads = [list(h) for h in alignment_heads(model_dir)]
    config = {
        "architectures": ["WhisperForConditionalGeneration"],
        "model_type": "whisper",
        "activation_function": "gelu",
        "vocab_size": dims.n_vocab,
        "num_mel_bins": dims.n_mels,
        "d_model": dims.n_audio_state,
        "encoder_layers": dims.n_audio_layer,
        "encoder_attention_heads": dims.n_audio_head,
        "encoder_ffn_dim": ffn_dim,
        "decoder_layers": dims.n_text_layer,
        "decoder_attention_heads": dims.n_text_head,
        "decoder_ffn_dim": ffn_dim,
        "max_source_positions": dims.n_audio_ctx,
        "max_target_positions": dims.n_text_ctx,
        "scale_embedding": False,
        "tie_word_embeddings": True,
        "bos_token_id": eot,
        "eos_token_id": eot,
        "pad_token_id": eot,
        "decoder_start_token_id": sot,
        "suppress_tokens": suppress,
        "begin_suppress_tokens": begin_suppress,
        "median_filter_width": MEDIAN_FILTER_WIDTH,
        "use_cache": True,
        "torch_dtype": "float16",
    }
    generation = {
        "alignment_heads": heads,
        "begin_suppress_tokens": begin_suppress,
        "suppress_tokens": suppress,
        "bos_token_id": eot,
        "eos_token_id": eot,
        "pad_token_id": eot,
        "decoder_start_token_id": sot,
        "is_multilingual": len(lang_to_id) > 1,
        "lang_to_id": lang_to_id,
        "task_to_id": {"transcribe": special["<|transcribe|>"], "translate": special["<|translate|>"]},
        "no_timestamps_token_id": special["<|notimestamps|>"],
        "prev_sot_token_id": special["<|startofprev|>"],
        "max_initial_timestamp_index": MAX_INITIAL_TIMESTAMP_INDEX,
        "max_length": dims.n_text_ctx,
        "return_timestamps": False,
    }
    tokenizer_config = {
        "tokenizer_class": "WhisperTokenizer",
        "processor_class": "WhisperProcessor",
        "model_max_length": 1024,
        "bos_token": "<|endoftext|>",
        "eos_token": "<|endoftext|>",
        "unk_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>",
        "add_prefix_space": False,
        "errors": "replace",
    }
    special_tokens_map = {
        "bos_token": "<|endoftext|>",
        "eos_token": "<|endoftext|>",
        "unk_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>",
    }
    preprocessor = {
        "feature_extractor_type": "WhisperFeatureExtractor",
        "processor_class": "WhisperProcessor",
        "feature_size": dims.n_mels,
        "sampling_rate": SAMPLE_RATE,
        "hop_length": HOP_LENGTH,
        "n_fft": N_FFT,
        "chunk_length": CHUNK_LENGTH,
        "n_samples": CHUNK_LENGTH * SAMPLE_RATE,
        "nb_max_frames": CHUNK_LENGTH * SAMPLE_RATE // HOP_LENGTH,
        "padding_side": "right",
        "padding_value": 0.0,
        "return_attention_mask": False,
    }
    return {
        "config.json": config,
        "generation_config.json": generation,
        "tokenizer_config.json": tokenizer_config,
        "special_tokens_map.json": special_tokens_map,
        "preprocessor_config.json": preprocessor,
    }


# --- cached entry points used by the backends ---


def _source(name: str | None) -> tuple[Path, str]:
    """The CTranslate2 folder and a cache-safe name for a manifest name or a CTranslate2 folder path."""
    model_dir = resolve_model_dir(name)
    if name and Path(name).expanduser().is_dir():
        digest = file_sha256(model_dir / "model.bin")[:12]
        return model_dir, f"{model_dir.name}-{digest}"
    return model_dir, get_spec(name).name


def openai_checkpoint(name: str | None = None) -> Path:
    """Path of the openai-whisper checkpoint for a manifest model (or CTranslate2 folder), converting once.

    Lives in ``cache_root()/models/<name>-openai/model.pt``.
    """
    model_dir, cache_name = _source(name)
    out = cache_root() / "models" / f"{cache_name}-openai"
    stamp = _source_stamp(model_dir, cache_name)
    if not (_stamp_matches(out, stamp) and (out / OPENAI_CHECKPOINT).is_file()):
        _write_atomically(out, stamp, lambda tmp: write_openai_checkpoint(model_dir, tmp / OPENAI_CHECKPOINT))
    return out / OPENAI_CHECKPOINT


def hf_model_dir(name: str | None = None) -> Path:
    """Folder of the transformers model for a manifest model (or CTranslate2 folder), converting once.

    Lives in ``cache_root()/models/<name>-hf/``.
    """
    model_dir, cache_name = _source(name)
    out = cache_root() / "models" / f"{cache_name}-hf"
    stamp = _source_stamp(model_dir, cache_name)
    if not (_stamp_matches(out, stamp) and (out / HF_WEIGHTS).is_file()):
        _write_atomically(out, stamp, lambda tmp: write_hf_folder(model_dir, tmp))
    return out
