"""The two torch backends and the conversion of the bundled CTranslate2 weights they run on.

Conversion tests read the real bundled ``model.bin`` (seconds, no decoding). Tests marked ``model`` run
Whisper on a short espeak-ng Indonesian clip with each backend.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
import struct
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from audiogen import SR, speak
from rapidfuzz import fuzz

from callscore.asr import convert as cv
from callscore.asr import hf as hfb
from callscore.asr import timing
from callscore.asr._torch import set_threads
from callscore.asr.base import DecodeSettings
from callscore.asr.models import get_spec, resolve_model_dir
from callscore.errors import MissingDependencyError, ModelError
from callscore.transcript.textnorm import plain_text

CLIP_TEXT = (
    "Selamat pagi, terima kasih sudah menghubungi layanan pelanggan. Ada yang bisa saya bantu hari ini?"
)
KEY_WORDS = ("selamat", "pagi", "terima", "kasih", "layanan", "pelanggan", "bantu", "hari")
BASE_DIMS = {  # Whisper base, as openai-whisper's ModelDimensions for its own "base" download
    "n_mels": 80,
    "n_audio_ctx": 1500,
    "n_audio_state": 512,
    "n_audio_head": 8,
    "n_audio_layer": 6,
    "n_vocab": 51865,
    "n_text_ctx": 448,
    "n_text_state": 512,
    "n_text_head": 8,
    "n_text_layer": 6,
}
MAX_BACKEND_WER = 0.2  # word error rate between two backends on the same float32 weights
MAX_WORD_START_GAP = 0.1  # s, median |start difference| of matching words across backends


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return resolve_model_dir(None)


@pytest.fixture(scope="module")
def ct2(model_dir):
    return cv.read_ct2_model(model_dir / "model.bin")


@pytest.fixture(scope="module")
def converted(model_dir, tmp_path_factory):
    """Both conversions written twice into separate folders (for the determinism test)."""
    out = []
    for i in range(2):
        root = tmp_path_factory.mktemp(f"conv{i}")
        (root / "hf").mkdir()
        cv.write_openai_checkpoint(model_dir, root / "model.pt")
        cv.write_hf_folder(model_dir, root / "hf")
        out.append(root)
    return out


# --- reading model.bin ---


def _ct2_string(s: str) -> bytes:
    b = s.encode() + b"\0"
    return struct.pack("<H", len(b)) + b


def _tiny_ct2(version: int = 6) -> bytes:
    """A minimal model.bin: one float32 (2, 3) variable, one int8 scalar, one alias."""
    w = np.arange(6, dtype="<f4").reshape(2, 3)
    body = struct.pack("<I", version) + _ct2_string("WhisperSpec") + struct.pack("<II", 3, 2)
    body += _ct2_string("a/weight") + struct.pack("<BII", 2, 2, 3) + struct.pack("<BI", 0, w.nbytes)
    body += w.tobytes()
    body += _ct2_string("a/num_heads") + struct.pack("<B", 0) + struct.pack("<BI", 1, 1) + b"\x08"
    body += struct.pack("<I", 1) + _ct2_string("b/weight") + _ct2_string("a/weight")
    return body


def test_reads_a_handmade_model_bin(tmp_path):
    p = tmp_path / "model.bin"
    p.write_bytes(_tiny_ct2())
    m = cv.read_ct2_model(p)
    assert (m.spec, m.revision) == ("WhisperSpec", 3)
    np.testing.assert_array_equal(m.get("b/weight"), np.arange(6, dtype=np.float32).reshape(2, 3))
    assert m.scalar("a/num_heads") == 8
    with pytest.raises(ModelError, match="missing"):
        m.get("nope")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_tiny_ct2()[:-9], "truncated or corrupt"),
        (_tiny_ct2() + b"xx", "trailing bytes"),
        (_tiny_ct2(version=2), "binary version 2 not supported"),
    ],
)
def test_refuses_broken_model_bin(tmp_path, data, message):
    p = tmp_path / "model.bin"
    p.write_bytes(data)
    with pytest.raises(ModelError, match=message):
        cv.read_ct2_model(p)


def test_bundled_model_dims(ct2):
    assert vars(cv.whisper_dims(ct2)) == BASE_DIMS
    assert ct2.aliases["decoder/projection/weight"] == "decoder/embeddings/weight"


# --- openai-whisper checkpoint ---


def test_openai_state_dict_splits_fused_projections(ct2):
    sd = cv.openai_state_dict(ct2)
    fused_w = ct2.get("encoder/layer_0/self_attention/linear_0/weight")
    fused_b = ct2.get("encoder/layer_0/self_attention/linear_0/bias")
    assert fused_w.shape == (3 * 512, 512)
    np.testing.assert_array_equal(sd["encoder.blocks.0.attn.query.weight"], fused_w[:512])
    np.testing.assert_array_equal(sd["encoder.blocks.0.attn.key.weight"], fused_w[512:1024])
    np.testing.assert_array_equal(sd["encoder.blocks.0.attn.value.weight"], fused_w[1024:])
    np.testing.assert_array_equal(sd["encoder.blocks.0.attn.value.bias"], fused_b[1024:])
    assert "encoder.blocks.0.attn.key.bias" not in sd
    cross_kv = ct2.get("decoder/layer_5/attention/linear_1/weight")
    np.testing.assert_array_equal(sd["decoder.blocks.5.cross_attn.key.weight"], cross_kv[:512])
    np.testing.assert_array_equal(sd["decoder.blocks.5.cross_attn.value.weight"], cross_kv[512:])


def test_openai_checkpoint_loads_strictly(converted):
    torch = pytest.importorskip("torch")
    whisper_model = pytest.importorskip("whisper.model")
    ckpt = torch.load(converted[0] / "model.pt", map_location="cpu", weights_only=True)
    assert ckpt["dims"] == BASE_DIMS
    model = whisper_model.Whisper(whisper_model.ModelDimensions(**ckpt["dims"]))
    model.load_state_dict(ckpt["model_state_dict"], strict=True)  # every parameter, nothing extra
    sd = ckpt["model_state_dict"]
    assert sd["decoder.token_embedding.weight"].shape == (51865, 512)
    assert sd["encoder.blocks.3.attn.query.weight"].shape == (512, 512)
    assert sd["encoder.conv1.weight"].shape == (512, 80, 3)


def test_alignment_heads_dump_matches_config(model_dir, converted):
    torch = pytest.importorskip("torch")
    whisper_model = pytest.importorskip("whisper.model")
    expected = json.loads((model_dir / "config.json").read_text())["alignment_heads"]
    assert expected, "the bundled config.json should list alignment heads"
    ckpt = torch.load(converted[0] / "model.pt", map_location="cpu", weights_only=True)
    mask = np.frombuffer(gzip.decompress(base64.b85decode(ckpt["alignment_heads"])), dtype=bool)
    assert sorted(map(tuple, np.argwhere(mask.reshape(6, 8)).tolist())) == sorted(map(tuple, expected))
    model = whisper_model.Whisper(whisper_model.ModelDimensions(**ckpt["dims"]))
    model.set_alignment_heads(ckpt["alignment_heads"])  # openai-whisper's own decoder of the dump
    got = model.alignment_heads.to_dense().nonzero().tolist()
    assert sorted(map(tuple, got)) == sorted(map(tuple, expected))


# --- transformers folder ---


def test_hf_folder_loads_offline_with_tied_output(converted, ct2):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    folder = converted[0] / "hf"
    model, info = transformers.WhisperForConditionalGeneration.from_pretrained(
        folder, local_files_only=True, output_loading_info=True
    )
    assert not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"]
    emb = model.model.decoder.embed_tokens.weight
    assert model.proj_out.weight.data_ptr() == emb.data_ptr()  # tied, not copied
    np.testing.assert_array_equal(
        emb.detach().numpy(), ct2.get("decoder/embeddings/weight").astype(np.float32)
    )
    q = model.model.decoder.layers[2].self_attn.q_proj.weight.detach()
    fused = torch.from_numpy(
        ct2.get("decoder/layer_2/self_attention/linear_0/weight")[:512].astype(np.float32)
    )
    assert torch.equal(q, fused)
    assert model.model.decoder.layers[2].self_attn.k_proj.bias is None


def test_hf_processor_and_generation_config(converted, model_dir):
    transformers = pytest.importorskip("transformers")
    folder = converted[0] / "hf"
    proc = transformers.WhisperProcessor.from_pretrained(folder, local_files_only=True)
    gen = transformers.GenerationConfig.from_pretrained(folder, local_files_only=True)
    tok = proc.tokenizer
    assert gen.lang_to_id["<|id|>"] == tok.convert_tokens_to_ids("<|id|>") == 50275
    assert gen.lang_to_id["<|en|>"] == 50259
    assert gen.task_to_id["transcribe"] == tok.convert_tokens_to_ids("<|transcribe|>")
    assert gen.no_timestamps_token_id == tok.convert_tokens_to_ids("<|notimestamps|>")
    ct2_config = json.loads((model_dir / "config.json").read_text())
    assert gen.alignment_heads == ct2_config["alignment_heads"]
    assert gen.suppress_tokens == ct2_config["suppress_ids"]
    ids = tok(" selamat pagi", add_special_tokens=False).input_ids
    assert tok.decode(ids) == " selamat pagi"
    features = proc.feature_extractor(np.zeros(SR, dtype=np.float32), sampling_rate=SR, return_tensors="np")
    assert features.input_features.shape == (1, 80, 3000)


# --- determinism and the cache ---


def test_conversion_is_deterministic(converted):
    a, b = converted
    assert sha256(a / "model.pt") == sha256(b / "model.pt")
    for f in sorted(p.name for p in (a / "hf").iterdir()):
        assert sha256(a / "hf" / f) == sha256(b / "hf" / f), f


def test_cached_conversion_is_atomic_and_done_once(tmp_path, monkeypatch):
    monkeypatch.setattr(cv, "cache_root", lambda: tmp_path)
    ckpt = cv.openai_checkpoint(None)
    hf_dir = cv.hf_model_dir(None)
    assert ckpt == tmp_path / "models" / "whisper-base-openai" / "model.pt"
    assert hf_dir == tmp_path / "models" / "whisper-base-hf"
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [
        "whisper-base-hf",
        "whisper-base-openai",
    ]
    stamp = json.loads((hf_dir / cv.STAMP_FILE).read_text())
    assert stamp["converter_version"] == cv.CONVERTER_VERSION
    assert stamp["source_model_sha256"] == get_spec(None).sha256["model.bin"]
    before = ckpt.stat().st_mtime_ns, (hf_dir / cv.HF_WEIGHTS).stat().st_mtime_ns
    assert cv.openai_checkpoint(None) == ckpt and cv.hf_model_dir(None) == hf_dir
    assert (ckpt.stat().st_mtime_ns, (hf_dir / cv.HF_WEIGHTS).stat().st_mtime_ns) == before
    # An older converter's output is redone, leaving no temp folders behind.
    stale = dict(stamp, converter_version=0)
    (ckpt.parent / cv.STAMP_FILE).write_text(json.dumps(stale))
    (ckpt.parent / "leftover.txt").write_text("old")
    cv.openai_checkpoint(None)
    assert sorted(p.name for p in ckpt.parent.iterdir()) == [cv.STAMP_FILE, "model.pt"]
    assert json.loads((ckpt.parent / cv.STAMP_FILE).read_text())["converter_version"] == cv.CONVERTER_VERSION
    assert not [p for p in (tmp_path / "models").iterdir() if p.name.startswith(".")]


# --- optional dependencies, model resolution, threads ---


def test_missing_openai_whisper_names_the_extra(monkeypatch):
    from callscore.asr.openai import OpenAIWhisperBackend

    monkeypatch.setitem(sys.modules, "whisper", None)  # import whisper -> ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'callscore\[openai-whisper\]'"):
        OpenAIWhisperBackend(None)


def test_unrelated_whisper_package_is_refused(monkeypatch):
    from callscore.asr.openai import OpenAIWhisperBackend

    monkeypatch.setitem(sys.modules, "whisper", types.ModuleType("whisper"))  # PyPI's other "whisper"
    with pytest.raises(MissingDependencyError, match=r"not the one .*callscore\[openai-whisper\]"):
        OpenAIWhisperBackend(None)


def test_missing_transformers_names_the_extra(monkeypatch):
    from callscore.asr.hf import TransformersBackend

    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'callscore\[transformers\]'"):
        TransformersBackend(None)


def test_missing_torch_for_conversion_names_the_extra(monkeypatch, tmp_path, model_dir):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingDependencyError, match=r"callscore\[openai-whisper\]"):
        cv.write_openai_checkpoint(model_dir, tmp_path / "model.pt")


def test_transformers_model_resolution_never_downloads_by_default(tmp_path, monkeypatch):
    monkeypatch.setattr(cv, "cache_root", lambda: tmp_path)
    monkeypatch.setattr(hfb, "hf_model_dir", cv.hf_model_dir)
    source, local_only, model_id, sha = hfb._resolve(None)
    assert (Path(source), local_only, model_id) == (
        tmp_path / "models" / "whisper-base-hf",
        True,
        "whisper-base",
    )
    assert sha == get_spec(None).sha256["model.bin"]
    # A local transformers Whisper folder (a fine-tune) is used as is, offline.
    assert hfb._resolve(source)[:2] == (source, True)
    # A hub id only goes to transformers (which may download) because the user named it.
    assert hfb._resolve("someone/whisper-small-id") == (
        "someone/whisper-small-id",
        False,
        "someone/whisper-small-id",
        "",
    )
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="neither a transformers Whisper folder"):
        hfb._resolve(str(tmp_path / "empty"))
    with pytest.raises(ModelError):
        hfb._resolve("no-such-model")


def test_cpu_threads_are_applied():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    try:
        set_threads(torch, 1)
        assert torch.get_num_threads() == 1
        set_threads(torch, 0)  # 0 keeps the current setting
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


# --- word alignment helpers of the transformers backend ---


def test_dtw_path_matches_openai_whisper():
    openai_timing = pytest.importorskip("whisper.timing")
    rng = np.random.default_rng(0)
    for shape in [(1, 5), (4, 4), (7, 30), (12, 9), (20, 150)]:
        cost = rng.standard_normal(shape)
        ref = openai_timing.dtw_cpu.py_func(cost)  # the pure-Python body of openai-whisper's numba DTW
        rows, cols = timing.dtw_path(cost=cost)
        np.testing.assert_array_equal(rows, ref[0])
        np.testing.assert_array_equal(cols, ref[1])


def test_align_words_on_a_known_diagonal():
    # 3 words of 1, 2 and 1 tokens over 10 frames (20 ms each); token k attends frames [2k, 2k + 2).
    n_tokens, frames = 4, 10
    matrix = np.full((n_tokens + 1, frames), -1.0)
    for k in range(n_tokens + 1):
        matrix[k, 2 * k : 2 * k + 2] = 1.0
    words = [(" halo", [1]), (" selamat", [2, 3]), (" pagi", [4])]
    out = timing.align_words(
        matrix=matrix, words=words, token_probs=np.array([0.9, 0.5, 0.7, 0.8]), offset=10.0
    )
    assert [w.text for w in out] == [" halo", " selamat", " pagi"]
    assert [(w.start, w.end) for w in out] == [(10.0, 10.04), (10.04, 10.12), (10.12, 10.16)]
    assert out[1].probability == pytest.approx(0.6)


def test_punctuation_joins_its_word():
    w = timing.WordTiming
    words = [w(" Halo", 0.0, 0.4, 0.9, 1), w(",", 0.4, 0.4, 0.8, 1), w(" pak", 0.5, 0.8, 0.9, 1)]
    merged = timing.merge_punctuation(words)
    assert [(m.text, m.start, m.end, m.n_tokens) for m in merged] == [
        (" Halo,", 0.0, 0.4, 2),
        (" pak", 0.5, 0.8, 1),
    ]


def test_windows_group_segments_by_seek():
    tb = 50365  # <|0.00|> in Whisper's multilingual vocabulary
    segments = [
        {"start": 0.0, "end": 4.0, "tokens": [tb, 1, 2, tb + 200]},
        {"start": 4.5, "end": 28.0, "tokens": [tb + 225, 3, tb + 1400]},
        {"start": 28.0, "end": 31.0, "tokens": [tb, 4, tb + 150]},
    ]
    windows = hfb._windows(segments, tb, total_frames=3500)
    assert [(x.seek, x.frames, len(x.segments)) for x in windows] == [(0, 3000, 2), (2800, 700, 1)]


# --- the real model on a short Indonesian clip ---


@pytest.fixture(scope="session")
def clip(tmp_path_factory) -> np.ndarray:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng not installed")
    return speak(CLIP_TEXT, tmp_path_factory.mktemp("tts") / "clip.wav")


@pytest.fixture(scope="session")
def decoded(clip):
    """Each backend's segments for the clip, at float32, beam 5, decoded once per session."""
    from callscore.asr import load_backend

    cache: dict[str, list] = {}

    def get(name: str) -> list:
        if name not in cache:
            pytest.importorskip(
                {"openai-whisper": "whisper", "transformers": "transformers"}.get(name, "numpy")
            )
            backend = load_backend(name, None, compute_type="float32")
            cache[name] = backend.transcribe(clip, DecodeSettings(language="id", beam_size=5))
        return cache[name]

    return get


def _text(segments) -> str:
    return " ".join(s.text.strip() for s in segments)


def _norm_words(text: str) -> list[str]:
    return plain_text(text).split()


@pytest.mark.model
@pytest.mark.parametrize("name", ["openai-whisper", "transformers"])
def test_backend_transcribes_indonesian(decoded, clip, name):
    segments = decoded(name)
    assert segments
    words = _norm_words(_text(segments))
    found = [k for k in KEY_WORDS if any(fuzz.ratio(k, w) >= 80 for w in words)]
    assert len(found) >= len(KEY_WORDS) - 1, (found, _text(segments))
    duration = clip.size / SR
    last_end = 0.0
    for s in segments:
        assert 0.0 <= s.start <= s.end <= duration + 0.5
        assert (
            -1.0 < s.avg_logprob < 0.0 and 0.0 <= s.no_speech_prob < 0.6 and 0.5 < s.compression_ratio < 2.4
        )
        assert s.words and "".join(w.text for w in s.words).strip() == s.text.strip()
        for w in s.words:
            assert last_end - 0.02 <= w.start <= w.end <= duration + 0.5
            assert 0.0 <= w.probability <= 1.0
            last_end = w.end


@pytest.mark.model
@pytest.mark.parametrize("name", ["openai-whisper", "transformers"])
def test_backend_agrees_with_faster_whisper(decoded, name):
    jiwer = pytest.importorskip("jiwer")
    ref, hyp = decoded("faster-whisper"), decoded(name)
    wer = jiwer.wer(" ".join(_norm_words(_text(ref))), " ".join(_norm_words(_text(hyp))))
    assert wer < MAX_BACKEND_WER, (_text(ref), _text(hyp))
    ref_words = [w for s in ref for w in s.words]
    hyp_words = [w for s in hyp for w in s.words]
    pairs = [(a, b) for a, b in zip(ref_words, hyp_words, strict=False) if a.text.strip() == b.text.strip()]
    assert len(pairs) >= 0.8 * len(ref_words)
    gaps = [abs(a.start - b.start) for a, b in pairs]
    assert float(np.median(gaps)) < MAX_WORD_START_GAP


@pytest.mark.model
@pytest.mark.parametrize("name", ["openai-whisper", "transformers"])
def test_backend_honours_language(clip, name):
    """Forcing English on Indonesian speech changes the decoding: the language setting is really passed."""
    pytest.importorskip({"openai-whisper": "whisper", "transformers": "transformers"}[name])
    from callscore.asr import load_backend

    backend = load_backend(name, None, compute_type="float32")
    short = clip[: 5 * SR]
    english = _text(backend.transcribe(short, DecodeSettings(language="en", beam_size=1, temperature=(0.0,))))
    indonesian = _text(
        backend.transcribe(short, DecodeSettings(language="id", beam_size=1, temperature=(0.0,)))
    )
    assert fuzz.partial_ratio("terima kasih", indonesian.lower()) >= 80
    assert english.strip() != indonesian.strip()
