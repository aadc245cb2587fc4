"""The real-voice dev set builder and scorer, on a stand-in corpus made with numpy (the real one is
CC BY-NC-SA and never in the repository): layout, train split only, splicing truth, conditions, skips."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import real_calls  # noqa: E402
import real_calls_build as rcb  # noqa: E402

SR = 16000
SENTENCES = {  # the TELDIALOG ids the builder uses, with their real texts
    **{u: "halo selamat pagi" for u in rcb.GREETINGS},
    "U004": "ada yang bisa dibantu",
    "U005": "ada yang bisa saya bantu",
    "U006": "bisa saya bantu",
    **{u: "berangkat jam berapa" for u in rcb.QUESTIONS},
    **{u: "harga tiket bus lima puluh ribu rupiah" for u in rcb.INFO},
    **{u: "kami kirim bantuan segera" for u in rcb.NEXT_STEPS},
    **{u: "kalau perlu bantuan hubungi saya di dua kosong satu" for u in rcb.CONTACT},
    "U027": "terima kasih",
    "U040": "dimana alamat mereka",
    "U041": "alamat mereka dimana",
}


def voiced(*, words: int, f0: float, seed: int) -> np.ndarray:
    """Speech stand-in: a harmonic 0.3 s burst per word, 0.08 s gaps, 0.25 s of faint noise either side."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(0.3 * SR)) / SR
    burst = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in (1, 2, 3)) * np.hanning(t.size)
    parts = [rng.standard_normal(int(0.25 * SR)) * 1e-4]
    for _ in range(words):
        parts += [0.3 * burst, rng.standard_normal(int(0.08 * SR)) * 1e-4]
    parts.append(rng.standard_normal(int(0.25 * SR)) * 1e-4)
    return np.concatenate(parts).astype(np.float32)


def wav_bytes(y: np.ndarray) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, y, SR, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def ans(text: str) -> str:
    return "|S|\r\n" + "\r\n".join(w.upper() for w in text.split()) + "\r\n|E|\r\n"


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A TELDIALOG-like folder (train speaker FAA, test speaker FZZ) and a DIGIT-like one (train MBB, MCC)."""
    root = tmp_path_factory.mktemp("corpora")
    tel = root / "teldialog"
    (tel / "speech" / "train").mkdir(parents=True)
    (tel / "speech" / "test").mkdir(parents=True)
    (tel / "text").mkdir()
    with zipfile.ZipFile(tel / "text" / "text.zip", "w") as z:
        for u, text in SENTENCES.items():
            z.writestr(f"{u}.ANS", ans(text))
    for split, spk, f0 in (("train", "FAA", 210.0), ("test", "FZZ", 180.0)):
        with zipfile.ZipFile(tel / "speech" / split / f"{spk}.zip", "w") as z:
            for i, (u, text) in enumerate(SENTENCES.items()):
                z.writestr(f"{spk}_{u}.wav", wav_bytes(voiced(words=len(text.split()), f0=f0, seed=i)))
    dig = root / "digits"
    for spk, f0 in (("MBB", 110.0), ("MCC", 130.0)):
        for what in ("speech", "text"):
            (dig / what / "train").mkdir(parents=True, exist_ok=True)
        with (
            zipfile.ZipFile(dig / "speech" / "train" / f"{spk}.zip", "w") as zs,
            zipfile.ZipFile(dig / "text" / "train" / f"{spk}.zip", "w") as zt,
        ):
            for i, digits in enumerate(
                ("satu dua tiga empat lima enam", "nol delapan satu tujuh dua", "dua tiga")
            ):
                zs.writestr(
                    f"{spk}_{i:04d}A.wav", wav_bytes(voiced(words=len(digits.split()), f0=f0, seed=50 + i))
                )
                zt.writestr(f"{spk}_{i:04d}A.txt", ans(digits))
    return tel, dig


@pytest.fixture(scope="module")
def dev_set(corpora: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dev")
    tel, dig = corpora
    assert rcb.main(["--corpus", str(tel), "--digits", str(dig), "--out", str(out), "--calls", "6"]) == 0
    return out


def _labels(folder: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.labels.json"))]


def _rms_db(y: np.ndarray, a: float, b: float, sr: int = SR) -> float:
    seg = y[int(a * sr) : int(b * sr)]
    return float(20 * np.log10(np.sqrt(np.mean(seg**2)) + 1e-12))


def test_reads_train_split_only(dev_set: Path) -> None:
    manifest = json.loads((dev_set / "manifest.json").read_text())
    assert manifest["agent_speakers"] == ["FAA"]  # FZZ sits in speech/test/ and must never be read
    assert manifest["customer_speakers_real"] == ["MBB", "MCC"]
    for lab in _labels(dev_set):
        used = {u["speaker"] for u in lab["utterances"]}
        assert not any("FZZ" in s for s in used)
        # the digit files shorter than rcb's 4-digit minimum ("dua tiga") are never used
        assert all(len(u["text"].split()) >= 4 for u in lab["utterances"] if u["tag"] == "digits")


def test_channels_hold_what_the_labels_say(dev_set: Path) -> None:
    for lab in _labels(dev_set):
        y, sr = sf.read(dev_set / lab["files"]["stereo16"], dtype="float32")
        assert sr == SR and y.shape[1] == 2
        agent = lab["agent_channel"]
        for u in lab["utterances"]:
            own = agent if u["role"] == "agent" else 1 - agent
            mid = (u["start"] + u["end"]) / 2
            # speech is on its own channel (>= 25 dB above the hiss of the other, where the other is quiet)
            assert _rms_db(y[:, own], u["start"], u["end"]) > rcb.HISS_DB + 25
            others = [v for v in lab["utterances"] if v["role"] != u["role"]]
            if not any(v["start"] - 0.05 <= mid <= v["end"] + 0.05 for v in others):
                assert _rms_db(y[:, 1 - own], mid - 0.05, mid + 0.05) < rcb.HISS_DB + 6


def test_interruptions_and_dead_air_are_real(dev_set: Path) -> None:
    labs = _labels(dev_set)
    assert sum(len(lab["interruptions"]) for lab in labs) >= 4
    assert sum(len(lab["dead_air"]) for lab in labs) >= 2
    for lab in labs:
        y, _ = sf.read(dev_set / lab["files"]["stereo16"], dtype="float32")
        utts = lab["utterances"]
        for i in lab["interruptions"]:
            held = next(u for u in utts if u["role"] == "customer" and u["start"] < i["start"] < u["end"])
            assert i["start"] - held["start"] >= rcb.INTERRUPT_AFTER - 1e-6
            assert min(held["end"], i["end"]) - i["start"] >= rcb.INTERRUPT_OVERLAP - 1e-6
        for d in lab["dead_air"]:
            assert d["end"] - d["start"] >= rcb.DEAD_AIR_S[0]
            assert not any(u["start"] < d["end"] and u["end"] > d["start"] for u in utts)
            both = y[int(d["start"] * SR) : int(d["end"] * SR)]
            assert float(np.max(np.abs(both))) < 0.01  # only hiss in the gap, on both channels


def test_roles_and_item_truth_follow_the_call_kind(dev_set: Path) -> None:
    labs = {lab["call_id"]: lab for lab in _labels(dev_set)}
    kinds = {lab["kind"] for lab in labs.values()}
    assert kinds == {"standard", "customer_first", "no_opening", "no_opening_customer_first"}
    assert {lab["agent_channel"] for lab in labs.values()} == {0, 1}
    for lab in labs.values():
        first = min(lab["utterances"], key=lambda u: u["start"])
        assert (first["role"] == "customer") == lab["kind"].endswith("customer_first")
        opening = not lab["kind"].startswith("no_opening")
        assert lab["items"]["greeting"] is opening
        assert lab["items"]["offer_help"] is opening
        assert lab["items"]["closing_thanks"] is opening
        assert lab["items"]["polite_address"] is False
        # customer sentences come from the resampled (derived) voice, and are labelled as such
        assert all(
            u["derived"] for u in lab["utterances"] if u["role"] == "customer" and u["tag"] != "digits"
        )
        assert 0.2 < lab["talk_ratio"] < 0.9


def test_conditions_mono_and_telephone(dev_set: Path) -> None:
    lab = _labels(dev_set)[0]
    st, _ = sf.read(dev_set / lab["files"]["stereo16"], dtype="float32")
    mono, sr_m = sf.read(dev_set / lab["files"]["mono16"], dtype="float32")
    assert sr_m == SR and mono.ndim == 1
    assert np.corrcoef(mono, st.sum(axis=1))[0, 1] > 0.999
    info = sf.info(str(dev_set / lab["files"]["tel8"]))
    assert (info.samplerate, info.channels, info.subtype) == (8000, 2, "ULAW")


def test_deterministic(corpora: tuple[Path, Path], dev_set: Path, tmp_path: Path) -> None:
    tel, dig = corpora
    rcb.main(["--corpus", str(tel), "--digits", str(dig), "--out", str(tmp_path), "--calls", "2"])
    a = json.loads((tmp_path / "real001.labels.json").read_text())
    b = json.loads((dev_set / "real001.labels.json").read_text())
    assert a["utterances"] == b["utterances"]


def test_builder_skips_without_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.delenv(rcb.ENV_CORPUS, raising=False)
    assert rcb.main(["--out", str(tmp_path / "o")]) == 0
    assert "SKIP: no corpus given" in capsys.readouterr().out
    assert rcb.main(["--corpus", str(tmp_path / "absent"), "--out", str(tmp_path / "o")]) == 0
    assert "corpus folder not found" in capsys.readouterr().out
    assert not (tmp_path / "o").exists()


def test_benchmark_skips_without_dev_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert real_calls.main(["--dev-set", str(tmp_path / "none")]) == 0
    assert "SKIP: no real-voice dev set" in capsys.readouterr().out


def test_scoring_helpers() -> None:
    assert real_calls.edit_distance(["a", "b", "c", "d"], ["a", "x", "c"]) == 2
    tp, fp, fn, err = real_calls.match_onsets([1.0, 5.0, 9.0], [1.1, 5.6, 20.0], tol=0.5)
    assert (tp, fp, fn) == (1, 2, 2) and err == pytest.approx([0.1])
    assert real_calls.prf(9, 1, 0)["f1"] == pytest.approx(2 * 0.9 / 1.9)


def test_roles_and_wer_against_labels() -> None:
    labels = {
        "agent_channel": 1,
        "utterances": [
            {"role": "agent", "start": 0.0, "end": 2.0, "text": "halo selamat pagi"},
            {"role": "customer", "start": 2.5, "end": 4.0, "text": "satu dua tiga"},
        ],
    }
    words = ((0.1, 0.5, "Halo,", "S1", 1), (0.6, 1.5, "selamat", "S1", 1), (2.6, 3.0, "satu", "S0", 0))
    view = real_calls.CallView(
        roles={"S0": "customer", "S1": "agent"},
        channel_of={"S0": 0, "S1": 1},
        words=words,
        turns=(("S1", 0.0, 2.0), ("S0", 2.5, 4.0)),
        interruptions=(),
        dead_air=(),
        items={},
        reasons={},
        talk_ratio=0.5,
    )
    assert real_calls.roles_correct(view, labels, "stereo16") == (True, "")
    swapped = real_calls.CallView(**{**view.__dict__, "roles": {"S0": "agent", "S1": "customer"}})
    assert real_calls.roles_correct(swapped, labels, "stereo16") == (False, "roles swapped")
    unknown = real_calls.CallView(**{**view.__dict__, "roles": {"S0": None, "S1": None}})
    assert real_calls.roles_correct(unknown, labels, "stereo16") == (False, "roles unknown")
    errors, total = real_calls.wer_counts(view, labels, "stereo16", real_calls.basic_normaliser())
    assert (errors, total) == (3, 6)  # "pagi", "dua", "tiga" deleted; "Halo," matches after normalising


def test_evaluate_counts_misses_and_role_unknown_fails() -> None:
    pytest.importorskip("pyannote.metrics")
    labels = {
        "call_id": "c0",
        "kind": "no_opening",
        "duration": 16.0,
        "agent_channel": 0,
        "talk_ratio": 0.5,
        "utterances": [
            {"role": "customer", "start": 0.0, "end": 3.0, "text": "satu dua tiga"},
            {"role": "agent", "start": 1.2, "end": 4.0, "text": "kami segera datang"},
        ],
        "interruptions": [{"start": 1.2, "end": 3.0, "by": "agent"}],
        "dead_air": [{"start": 5.0, "end": 15.0}],
        "items": {i: False for i in real_calls.PHRASE_ITEMS} | {"solution_next_step": True},
    }
    view = real_calls.CallView(
        roles={"S0": None, "S1": None},
        channel_of={"S0": 0, "S1": 1},
        words=((1.3, 1.6, "kami", "S0", 0), (0.1, 0.4, "satu", "S1", 1)),
        turns=(("S1", 0.0, 3.0), ("S0", 1.3, 4.0)),
        interruptions=((1.35, 3.0, None, "S0"), (7.0, 8.0, None, "S1")),
        dead_air=(),
        items={i: "fail" for i in real_calls.PHRASE_ITEMS} | {"empathy": "fail"},
        reasons={},
        talk_ratio=None,
    )
    r = real_calls.evaluate([("stereo16", labels, view)])
    assert r["roles_accuracy"] == 0.0 and r["role_misses"] == ["c0 (no_opening): roles unknown"]
    assert r["role_unknown_fails"] == len(real_calls.PHRASE_ITEMS)
    assert r["items"]["solution_next_step"]["fn"] == 1
    assert r["complaint_false_triggers"] == ["c0:empathy=fail"]
    m = r["interruptions"]
    assert (m["tp"], m["fp"], m["fn"]) == (1, 1, 0)  # the customer-channel one is a false alarm
    assert m["onset_mean_s"] == pytest.approx(0.15)
    assert r["dead_air"]["fn"] == 1 and r["dead_air"]["recall"] == 0.0


def test_mono_der_and_roles_by_overlap() -> None:
    pytest.importorskip("pyannote.metrics")
    labels = {
        "call_id": "m0",
        "kind": "standard",
        "duration": 6.0,
        "agent_channel": 0,
        "talk_ratio": 0.5,
        "utterances": [
            {"role": "agent", "start": 0.0, "end": 2.0, "text": "halo"},
            {"role": "customer", "start": 2.5, "end": 4.0, "text": "satu"},
        ],
        "interruptions": [],
        "dead_air": [],
        "items": {i: False for i in real_calls.PHRASE_ITEMS},
    }
    base = {
        "channel_of": {"S0": None, "S1": None},
        "words": (),
        "interruptions": (),
        "dead_air": (),
        "items": {},
        "reasons": {},
        "talk_ratio": None,
    }
    exact = real_calls.CallView(
        roles={"S0": "customer", "S1": "agent"}, turns=(("S1", 0.0, 2.0), ("S0", 2.5, 4.0)), **base
    )
    r = real_calls.evaluate([("mono16", labels, exact)])
    assert r["der_no_collar"] == pytest.approx(0.0) and r["roles_accuracy"] == 1.0
    merged = real_calls.CallView(roles={"S1": "agent"}, turns=(("S1", 0.0, 4.0),), **base)
    r = real_calls.evaluate([("mono16", labels, merged)])
    # 1.5 s of the customer's speech given to the agent, 0.5 s of false alarm in the pause, over 3.5 s
    assert r["der_no_collar"] == pytest.approx(2.0 / 3.5, abs=1e-3)
    assert r["der_collar_250ms"] < r["der_no_collar"]


def test_aligned_errors_name_each_edit() -> None:
    ref, hyp = ["di", "mana", "alamat", "anda"], ["dimana", "alamat", "anda", "saja"]
    pairs = real_calls.aligned_errors(ref, hyp)
    assert len(pairs) == real_calls.edit_distance(ref, hyp) == 3
    assert ("", "saja") in pairs
    assert real_calls.prf(0, 0, 3)["f1"] == 0.0 and real_calls.prf(0, 0, 0)["f1"] is None
