"""Sentiment: the bundled models, features, call-level maths, rubric measures, evaluation, CLI, backends."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner
from wheel_helpers import build_wheel, install_wheel, run_installed

from callscore.audio import AudioInfo
from callscore.cli import app
from callscore.errors import ModelError
from callscore.sentiment import (
    FAIL,
    NEGATIVE,
    NEUTRAL,
    NOT_APPLICABLE,
    PASS,
    POSITIVE,
    Sentiment,
    agent_tone_non_negative,
    analyse_transcript,
    analyse_turns,
    customer_left_no_worse,
    get_model,
    load_linear_model,
    positive_language,
    read_labels,
    report_from_predictions,
)
from callscore.sentiment.evaluate import LabelsFileError
from callscore.sentiment.features import FeatureConfig, vectorise, word_buckets
from callscore.sentiment.model import builtin_model_path, save_linear_model
from callscore.sentiment.types import sentiment_from_probs
from callscore.timeline import Turn
from callscore.transcript import (
    Segment,
    Speaker,
    Transcript,
    TranscriptionInfo,
    Word,
    save_transcript,
)
from callscore.transcript.textnorm import model_tokens

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

CLEAR_ID = [
    ("Terima kasih banyak, pelayanannya sangat memuaskan dan ramah sekali.", POSITIVE),
    ("Makanannya enak, harganya murah, saya pasti kembali lagi.", POSITIVE),
    ("Saya sangat kecewa, pelayanannya buruk dan lambat sekali.", NEGATIVE),
    ("Internet saya mati tiga hari, parah banget, saya kesal sekali.", NEGATIVE),
]
CLEAR_ID_SPEECH = [
    ("makasih ya mbak pelayanannya ramah banget saya puas", POSITIVE),
    ("saya kecewa banget pelayanannya jelek gak ada yang bantu", NEGATIVE),
    ("udah nunggu dua jam gak dateng dateng teknisinya parah", NEGATIVE),
]
CLEAR_EN = [
    ("Thank you so much, you have been really helpful and kind.", POSITIVE),
    ("This is terrible service, I am really angry and disappointed.", NEGATIVE),
    ("i love it thanks a lot this is great", POSITIVE),
    ("this is the worst i hate it so much", NEGATIVE),
]


def one_error_line(output: str, needle: str) -> None:
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert any(needle in line for line in errors), output
    assert "Traceback" not in output


# ---------------------------------------------------------------- the bundled models


@pytest.mark.parametrize(("text", "label"), CLEAR_ID + CLEAR_ID_SPEECH)
def test_bundled_indonesian_model_gets_clear_sentences_right_with_margin(text, label):
    (s,) = get_model(language="id").predict([text])
    assert s.label == label, s
    assert (s.score if label == POSITIVE else -s.score) > 0.4, s  # P(right) - P(opposite)


@pytest.mark.parametrize(("text", "label"), CLEAR_EN)
def test_bundled_english_model_gets_clear_sentences_right_with_margin(text, label):
    (s,) = get_model(language="en").predict([text])
    assert s.label == label, s
    assert (s.score if label == POSITIVE else -s.score) > 0.4, s


def test_bundled_models_are_small_linear_and_probabilities_sum_to_one():
    for lang in ("id", "en"):
        path = builtin_model_path(lang)
        assert path.stat().st_size < 4_000_000
        model = load_linear_model(path)
        assert model.language == lang
        assert model.meta["data"]["license"] == "Apache-2.0"  # type: ignore[index]
        p = model.probabilities("halo apa kabar")
        assert p.shape == (3,) and abs(p.sum() - 1) < 1e-6


def test_empty_text_is_scored_not_refused():
    (s,) = get_model(language="id").predict([""])
    assert abs(s.negative + s.neutral + s.positive - 1) < 1e-6


def test_model_file_that_is_not_ours_is_refused(tmp_path):
    bad = tmp_path / "x.npz"
    np.savez(bad, weights=np.zeros(3))
    with pytest.raises(ModelError, match="not a callscore sentiment model"):
        load_linear_model(bad)
    with pytest.raises(ModelError, match="not found"):
        load_linear_model(tmp_path / "missing.npz")


def test_own_training_sentences_are_not_in_the_benchmark_call_sets():
    for lang in ("id", "en"):
        train = (ROOT / "scripts" / "data" / f"sentiment_train_calls_{lang}.tsv").read_text(encoding="utf-8")
        bench = (ROOT / "benchmarks" / "data" / f"sentiment_calls_{lang}.tsv").read_text(encoding="utf-8")
        texts = {line.rpartition("\t")[0] for line in train.splitlines()[1:]}
        assert len(texts) > 80
        assert not texts & {line.rpartition("\t")[0] for line in bench.splitlines()[1:]}


# ---------------------------------------------------------------- features


def test_normalise_folds_whisper_style_variants_to_one_form():
    canonical = {"gak": "tidak", "nggak": "tidak", "udah": "sudah"}
    assert model_tokens("GAK bangettt!!! Udah,", canonical=canonical) == ["tidak", "banget", "sudah"]
    assert model_tokens("nggak enak", canonical=canonical) == model_tokens("Tidak enak.", canonical=canonical)


def test_feature_hashing_is_fixed_across_processes():
    # The shipped weights are indexed by these buckets: a change of hashing would silently break them.
    cfg = FeatureConfig()
    assert word_buckets(["tidak", "enak"], config=cfg).tolist() == _buckets_in_subprocess()
    idx, val = vectorise("tidak enak", config=cfg, canonical={})
    assert len(idx) == len(set(idx.tolist())) and abs(float(val @ val) - 1) < 1e-6


def _buckets_in_subprocess() -> list[int]:
    code = (
        "from callscore.sentiment.features import FeatureConfig, word_buckets;"
        "print(word_buckets(['tidak', 'enak'], config=FeatureConfig()).tolist())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


# ---------------------------------------------------------------- call level


@dataclass(frozen=True)
class FixedModel:
    """A model that gives each known text a fixed score (neutral when |score| < 0.3)."""

    scores: dict[str, float]
    name: str = "fixed"

    def predict(self, texts):
        out = []
        for t in texts:
            s = self.scores.get(t, 0.0)
            if abs(s) < 0.3:
                out.append(sentiment_from_probs(max(-s, 0.0), 1 - abs(s), max(s, 0.0)))
            else:
                out.append(Sentiment(POSITIVE if s > 0 else NEGATIVE, s, max(-s, 0), 1 - abs(s), max(s, 0)))
        return out


TURNS = (
    Turn("S0", "agent", 0.0, 2.0, "selamat pagi ada yang bisa dibantu", 6),
    Turn("S1", "customer", 2.0, 6.0, "internet saya mati sudah tiga hari", 6),  # Q1, -0.8
    Turn("S0", "agent", 7.0, 11.0, "mohon maaf atas ketidaknyamanannya", 4),
    Turn("S1", "customer", 12.0, 14.0, "iya betul", 2),  # Q2, 0.0
    Turn("S1", "customer", 15.0, 19.0, "tolong cepat ya", 3),  # Q2, -0.2
    Turn("S0", "agent", 22.0, 28.0, "kabar baiknya sudah kami perbaiki", 5),  # Q3, agent +0.7
    Turn("S1", "customer", 33.0, 37.0, "terima kasih banyak sudah membantu", 5),  # Q4, +0.9
)
SCORES = {
    "selamat pagi ada yang bisa dibantu": 0.5,
    "internet saya mati sudah tiga hari": -0.8,
    "mohon maaf atas ketidaknyamanannya": -0.7,
    "iya betul": 0.0,
    "tolong cepat ya": -0.2,
    "kabar baiknya sudah kami perbaiki": 0.7,
    "terima kasih banyak sudah membantu": 0.9,
}


def test_quarter_maths_on_a_hand_made_call():
    call = analyse_turns(turns=TURNS, duration=40.0, model=FixedModel(SCORES))
    c = call.customer
    assert [q.n_turns for q in c.quarters] == [1, 2, 0, 1]
    assert c.quarters[0].score == pytest.approx(-4.0)  # 5 x -0.8
    assert c.quarters[1].score == pytest.approx(5 * (2 * 0.0 + 3 * -0.2) / 5)  # word-weighted: -0.6
    assert c.quarters[2].score is None
    assert c.quarters[3].score == pytest.approx(4.5)
    assert (c.start, c.end, c.shift) == (pytest.approx(-4.0), pytest.approx(4.5), pytest.approx(8.5))
    assert c.overall == pytest.approx(5 * (6 * -0.8 + 3 * -0.2 + 5 * 0.9) / 16)
    assert (c.n_turns, c.n_negative, c.n_positive) == (4, 1, 1)
    a = call.agent
    assert a.n_turns == 3 and a.quarters[2].score == pytest.approx(3.5)
    assert [q.start for q in c.quarters] == [0.0, 10.0, 20.0, 30.0]


def test_customer_left_no_worse_after_a_complaint():
    call = analyse_turns(turns=TURNS, duration=40.0, model=FixedModel(SCORES))
    r = customer_left_no_worse(call=call)
    assert r.outcome == PASS and r.value == pytest.approx(8.5)
    assert "complaint" in r.reason
    assert {t.text for t in r.evidence} >= {
        "internet saya mati sudah tiga hari",
        "terima kasih banyak sudah membantu",
    }
    worse = dict(SCORES, **{"terima kasih banyak sudah membantu": -0.9})
    r = customer_left_no_worse(call=analyse_turns(turns=TURNS, duration=40.0, model=FixedModel(worse)))
    assert r.outcome == FAIL and r.value == pytest.approx(-0.5)  # -4.0 -> -4.5: a complaint not turned round
    only_one = analyse_turns(turns=TURNS[:2], duration=40.0, model=FixedModel(SCORES))
    assert customer_left_no_worse(call=only_one).outcome == NOT_APPLICABLE


def test_customer_who_did_not_complain_may_stay_level():
    level = {t.text: 0.0 for t in TURNS}
    r = customer_left_no_worse(call=analyse_turns(turns=TURNS, duration=40.0, model=FixedModel(level)))
    assert r.outcome == PASS and r.value == 0.0


def test_agent_tone_exempts_apologies_but_not_rudeness():
    call = analyse_turns(turns=TURNS, duration=40.0, model=FixedModel(SCORES))
    assert agent_tone_non_negative(call=call).outcome == PASS  # "mohon maaf ..." is an apology
    r = agent_tone_non_negative(call=call, exempt_phrases=())
    assert r.outcome == FAIL and [t.text for t in r.evidence] == ["mohon maaf atas ketidaknyamanannya"]
    rude = TURNS + (Turn("S0", "agent", 38.0, 39.5, "itu bukan urusan saya", 4),)
    r = agent_tone_non_negative(
        call=analyse_turns(
            turns=rude, duration=40.0, model=FixedModel({**SCORES, "itu bukan urusan saya": -0.9})
        )
    )
    assert r.outcome == FAIL and r.value == 1.0 and r.evidence[0].text == "itu bukan urusan saya"


def test_positive_language_judges_what_the_agent_said():
    phrases = ["kabar baiknya", "bapak bisa"]
    call = analyse_turns(turns=TURNS, duration=40.0, model=FixedModel(SCORES))
    r = positive_language(call=call, phrases=phrases, opposite=["tidak bisa"])
    # the apology the model hears as negative (-0.7) names the problem: it is exempt, so nothing to answer
    assert r.outcome == PASS and r.value == 1.0
    assert positive_language(call=call, phrases=phrases, min_count=2).outcome == FAIL  # one positive turn
    # "saya nggak tahu" is in no list: the model's word (P(negative) 0.9) makes it a negative turn ...
    cold = TURNS[:5] + (Turn("S0", "agent", 20.0, 21.5, "wah saya nggak tahu pak", 4),)
    cold_scores = {**SCORES, "wah saya nggak tahu pak": -0.9}
    r = positive_language(
        call=analyse_turns(turns=cold, duration=40.0, model=FixedModel(cold_scores)), phrases=phrases
    )
    assert r.outcome == FAIL and [t.text for t in r.evidence] == ["wah saya nggak tahu pak"]
    # ... answered by what can be done in the next agent turn, it passes
    answered = cold + (Turn("S0", "agent", 22.0, 28.0, "tapi bapak bisa cek di aplikasi", 5),)
    r = positive_language(
        call=analyse_turns(turns=answered, duration=40.0, model=FixedModel(cold_scores)), phrases=phrases
    )
    assert r.outcome == PASS
    # below the confidence the model's negative does not count; an opposite phrase still does
    r = positive_language(
        call=analyse_turns(turns=cold, duration=40.0, model=FixedModel(cold_scores)),
        phrases=phrases,
        min_confidence=0.95,
    )
    assert r.outcome == PASS
    neutral = {k: 0.0 for k in cold_scores}
    r = positive_language(
        call=analyse_turns(turns=cold, duration=40.0, model=FixedModel(neutral)),
        phrases=phrases,
        opposite=["nggak tahu"],
    )
    assert r.outcome == FAIL and r.evidence[0].text == "wah saya nggak tahu pak"


def _transcript() -> Transcript:
    lines = [
        (0, 0.5, "Selamat pagi, dengan Rina, ada yang bisa saya bantu?"),
        (1, 4.0, "Saya sangat kecewa, internet saya mati sudah tiga hari dan tidak ada yang datang."),
        (0, 12.0, "Mohon maaf atas ketidaknyamanannya, Pak. Saya cek dulu ya."),
        (0, 24.0, "Kabar baiknya gangguan sudah kami perbaiki, silakan dicoba."),
        (1, 33.0, "Wah sudah nyala, terima kasih banyak, sangat membantu."),
    ]
    segments = []
    for i, (ch, start, text) in enumerate(lines):
        spk = f"S{ch}"
        words = tuple(
            Word(start + 0.3 * k, start + 0.3 * k + 0.25, " " + w, 0.9, ch, spk)
            for k, w in enumerate(text.split())
        )
        segments.append(Segment(i, ch, start, words[-1].end, text, words, speaker=spk))
    return Transcript(
        audio=AudioInfo("call.wav", "0" * 64, 40.0, 8000, 2),
        info=TranscriptionInfo("import", "hand-made", language="id"),
        segments=tuple(segments),
        speakers=(Speaker("S0", 0, "agent", 1.0, "test"), Speaker("S1", 1, "customer", 1.0, "test")),
    )


def test_real_model_on_a_hand_made_call_sees_the_customer_turn_round():
    call = analyse_transcript(transcript=_transcript())
    assert [t.role for t in call.turns] == ["agent", "customer", "agent", "agent", "customer"]
    assert call.turns[1].sentiment.label == NEGATIVE and call.turns[4].sentiment.label == POSITIVE
    assert call.customer.shift is not None and call.customer.shift > 4  # from below -2 to above +2
    assert customer_left_no_worse(call=call).outcome == PASS
    assert agent_tone_non_negative(call=call).outcome == PASS


# ---------------------------------------------------------------- evaluation


def test_report_matches_a_hand_count():
    gold = [POSITIVE, POSITIVE, POSITIVE, NEGATIVE, NEGATIVE, NEUTRAL]
    pred = [POSITIVE, POSITIVE, NEGATIVE, NEGATIVE, NEUTRAL, NEUTRAL]
    r = report_from_predictions(gold=gold, predicted=pred)
    assert r.accuracy == pytest.approx(4 / 6)
    # F1 = 2 tp / (gold + predicted): negative 2*1/(2+2) = 0.5; neutral 2*1/(1+2) = 2/3;
    # positive 2*2/(3+2) = 0.8
    assert r.f1 == pytest.approx((0.5, 2 / 3, 0.8))
    assert r.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)
    assert r.confusion == ((1, 1, 0), (0, 1, 0), (1, 0, 2))


def _keyword_model(path: Path) -> Path:
    """A linear model file of ours that knows two words: 'bagus' (positive) and 'buruk' (negative)."""
    cfg = FeatureConfig(n_buckets=1 << 10)
    w = np.zeros((cfg.n_buckets, 3), np.float32)
    for word, col in (("bagus", 2), ("buruk", 0)):
        w[word_buckets([word], config=cfg)[0], col] = 20.0
    save_linear_model(
        path,
        weights=w,
        bias=np.array([0, 1, 0], np.float32),
        config=cfg,
        canonical={},
        language="id",
        meta={},
    )
    return path


def test_eval_sentiment_cli_prints_the_hand_counted_figures(tmp_path):
    model = _keyword_model(tmp_path / "kw.npz")
    labels = tmp_path / "labels.tsv"
    labels.write_text(
        "text\tlabel\n"
        "filmnya bagus\tpositive\n"  # -> positive, right
        "bagus sekali\tpositive\n"  # -> positive, right
        "tempatnya buruk\tpositive\n"  # -> negative, wrong
        "buruk\tneg\n"  # -> negative, right
        "hari senin\tnegative\n"  # -> neutral, wrong
        "hari selasa\tneutral\n",  # -> neutral, right
        encoding="utf-8",
    )
    out_json = tmp_path / "report.json"
    res = runner.invoke(
        app,
        [
            "eval",
            "sentiment",
            "--labels",
            str(labels),
            "--sentiment-model",
            str(model),
            "--json",
            str(out_json),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "accuracy  0.6667" in res.output
    assert f"macro-F1  {(0.5 + 2 / 3 + 0.8) / 3:.4f}" in res.output
    assert "positive           1         0         2" in res.output  # gold positive row of the matrix
    report = json.loads(out_json.read_text())
    assert report["confusion"] == [[1, 1, 0], [0, 1, 0], [1, 0, 2]] and report["n"] == 6


def test_labels_file_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("good text\tpositive\nno tab here\n", encoding="utf-8")
    with pytest.raises(LabelsFileError, match=r"bad\.tsv:2: expected text<TAB>label"):
        read_labels(bad)
    bad.write_text("good text\thappy\n", encoding="utf-8")
    res = runner.invoke(app, ["eval", "sentiment", "--labels", str(bad)])
    assert res.exit_code == 1
    one_error_line(res.output, "bad.tsv:1: label 'happy' is not one of negative, neutral, positive")
    res = runner.invoke(app, ["eval", "sentiment", "--labels", str(tmp_path / "none.tsv")])
    assert res.exit_code == 1
    one_error_line(res.output, "none.tsv: file not found")


# ---------------------------------------------------------------- callscore sentiment


def test_sentiment_cli_formats_on_text(tmp_path):
    src = tmp_path / "texts.txt"
    src.write_text(
        "Pelayanannya sangat memuaskan, terima kasih.\n\nSaya kecewa sekali, parah.\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["sentiment", str(src), "--format", "tsv"])
    assert res.exit_code == 0, res.output
    rows = [line.split("\t") for line in res.output.strip().splitlines()]
    assert rows[0][:3] == ["line", "label", "score"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("1", POSITIVE), ("3", NEGATIVE)]
    assert float(rows[1][2]) > 0.4 > -0.4 > float(rows[2][2])
    res = runner.invoke(app, ["sentiment", str(src), "--format", "json"])
    body = json.loads(res.output)
    assert [b["label"] for b in body] == [POSITIVE, NEGATIVE]
    assert abs(sum(body[0]["probabilities"].values()) - 1) < 1e-3
    res = runner.invoke(app, ["sentiment", "-"], input="terima kasih banyak, sangat membantu\n")
    assert res.exit_code == 0 and "positive" in res.output.splitlines()[1]


def test_sentiment_cli_on_a_transcript_prints_turns_and_call_figures(tmp_path):
    path = save_transcript(_transcript(), tmp_path / "call.json")
    res = runner.invoke(app, ["sentiment", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    body = json.loads(res.output)
    assert [t["role"] for t in body["turns"]] == ["agent", "customer", "agent", "agent", "customer"]
    assert body["customer"]["shift"] > 4 and body["customer"]["turns"] == 2
    res = runner.invoke(app, ["sentiment", str(path)])
    assert res.exit_code == 0 and "customer" in res.output and "shift +" in res.output
    res = runner.invoke(app, ["sentiment", str(path), "--format", "tsv"])
    assert len(res.output.strip().splitlines()) == 6


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["sentiment", "MISSING.txt"], "MISSING.txt: file not found"),
        (["sentiment", "EMPTY.txt"], "EMPTY.txt: no text to score"),
        (["sentiment", "EMPTY.txt", "--format", "xml"], "--format xml: expected one of table, json, tsv"),
        (["sentiment", "BROKEN.json"], "BROKEN.json"),
        (["sentiment", "EMPTY.txt", "--language", "fr"], "--language fr: expected id or en"),
        (["sentiment", "EMPTY.txt", "--sentiment-model", "NOPE"], "NOPE: no such sentiment model folder"),
    ],
)
def test_sentiment_cli_bad_input_is_one_line(tmp_path, monkeypatch, args, needle):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "EMPTY.txt").write_text("\n\n", encoding="utf-8")
    (tmp_path / "BROKEN.json").write_text("{not json", encoding="utf-8")
    res = runner.invoke(app, args)
    assert res.exit_code == 1, res.output
    one_error_line(res.output, needle)


# ---------------------------------------------------------------- transformers backend


def _tiny_checkpoint(folder: Path) -> Path:
    """A tiny BERT sequence classifier trained here on a handful of sentences (labels in SmSA order)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    train = [
        ("bagus ramah puas", 0),
        ("puas sekali bagus", 0),
        ("ramah dan puas", 0),
        ("nomor alamat rumah", 1),
        ("alamat nomor saya", 1),
        ("nomor rumah saya", 1),
        ("buruk lambat kecewa", 2),
        ("kecewa sekali buruk", 2),
        ("lambat dan kecewa", 2),
    ]
    words = sorted({w for t, _ in train for w in t.split()})
    vocab = folder / "vocab.txt"
    folder.mkdir(parents=True, exist_ok=True)
    vocab.write_text(
        "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n", encoding="utf-8"
    )
    tok = transformers.BertTokenizer(str(vocab), do_lower_case=True)
    cfg = transformers.BertConfig(
        vocab_size=len(words) + 5,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
        num_labels=3,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        id2label={0: "positive", 1: "neutral", 2: "negative"},
        label2id={"positive": 0, "neutral": 1, "negative": 2},
    )
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(cfg)
    enc = tok([t for t, _ in train], padding=True, return_tensors="pt")
    labels = torch.tensor([y for _, y in train])
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(150):
        opt.zero_grad()
        model(**enc, labels=labels).loss.backward()
        opt.step()
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def test_transformers_backend_with_a_tiny_local_checkpoint(tmp_path):
    ckpt = _tiny_checkpoint(tmp_path / "tiny")
    model = get_model(str(ckpt))
    out = model.predict(["puas sekali bagus", "lambat dan kecewa", "alamat nomor saya"])
    assert [s.label for s in out] == [POSITIVE, NEGATIVE, NEUTRAL]  # SmSA label order mapped by name
    assert out[0].score > 0.4 and out[1].score < -0.4
    src = tmp_path / "t.txt"
    src.write_text("buruk lambat kecewa\n", encoding="utf-8")
    res = runner.invoke(app, ["sentiment", str(src), "--sentiment-model", str(ckpt), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["label"] == NEGATIVE


def test_transformers_backend_refuses_a_folder_without_a_checkpoint(tmp_path):
    pytest.importorskip("transformers")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="cannot load a sequence-classification checkpoint"):
        get_model(str(tmp_path / "empty"))


# ---------------------------------------------------------------- shipped in the wheel


@pytest.mark.slow
def test_installed_wheel_carries_and_loads_the_sentiment_models(tmp_path):
    (tmp_path / "wheel").mkdir()
    target = install_wheel(build_wheel(tmp_path / "wheel"), tmp_path / "site")
    code = (
        "import callscore.sentiment as s;"
        f"assert s.__file__.startswith({str(target)!r}), s.__file__;"
        "print(s.get_model(language='id').predict(['saya kecewa sekali'])[0].label,"
        "s.get_model(language='en').predict(['thank you so much'])[0].label)"
    )
    res = run_installed(code, site=target, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == [NEGATIVE, POSITIVE]


# ---------------------------------------------------------------- courtesy replies


def _request_call(closing: str) -> list[Turn]:
    """A plain request (no complaint) that the customer closes by answering the closing check."""
    return [
        Turn("S0", "agent", 0.0, 3.0, "selamat siang dengan rina ada yang bisa saya bantu", 9),
        Turn("S1", "customer", 3.5, 8.0, "siang mbak saya mau tanya jam buka kantor cabang di bandung", 11),
        Turn(
            "S0", "agent", 9.0, 14.0, "kantor cabang buka senin sampai jumat jam delapan sampai jam tiga", 11
        ),
        Turn("S1", "customer", 15.0, 17.0, "oke mbak jelas sekali penjelasannya", 5),
        Turn("S0", "agent", 18.0, 20.0, "ada lagi yang bisa saya bantu", 6),
        Turn("S1", "customer", 36.0, 38.0, closing, len(closing.split())),
    ]


@pytest.mark.parametrize(
    "closing", ["nggak ada lagi mbak", "udah itu aja kak", "Tidak, sudah, cukup.", "gak ada mbak, udah jelas"]
)
def test_answering_the_closing_check_does_not_leave_the_customer_worse(closing):
    """The bundled model reads "nggak ada lagi" and "udah itu aja" as complaints (P(negative) > 0.7); a
    customer who only answers the closing check must not fail customer_left_no_worse for it."""
    model = get_model(language="id")
    assert model.predict([closing])[0].label == NEGATIVE  # the misreading this guards against
    call = analyse_turns(turns=_request_call(closing), duration=40.0, model=model)
    r = customer_left_no_worse(call=call)
    assert r.outcome == PASS, r.reason
    assert all(t.text != closing for t in r.evidence)  # not shown as the turn that set the end


@pytest.mark.parametrize(
    ("text", "courtesy"),
    [
        ("nggak ada lagi mbak", True),
        ("udah itu aja kak, makasih ya", True),
        ("Tidak, terima kasih.", True),
        ("No, that's all. Thanks!", True),
        ("nothing else, cheers", True),
        ("itu saja tidak cukup", False),  # a complaint in closing words
        ("not all of it", False),
        ("tidak ada", False),  # an answer, not a closing: no cue
        ("belum beres mbak", False),
        ("nggak jelas mbak", False),
        ("Tidak, sudak, cuku", True),  # as Whisper wrote it on one CPU path
        ("susah aja mbak", False),  # one letter from "sudah", but it is a hardship
        ("nggak ada lagi yang bisa saya lakukan, saya kecewa", False),
    ],
)
def test_courtesy_reply_is_a_closing_formula_and_nothing_else(text, courtesy):
    from callscore.sentiment.courtesy import courtesy_reply

    assert courtesy_reply(text) is courtesy
