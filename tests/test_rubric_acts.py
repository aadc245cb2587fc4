"""The learned act gate (callscore.rubric.acts, ``learned:`` on a trigger): what it vetoes, what it keeps, how
it explains itself, how a rubric that misuses it is refused, and that the bundled models are what
``scripts/train_acts.py`` makes from the repository's own labelled calls."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from scripted import probe_item

from callscore.errors import ModelError, RubricError
from callscore.rubric.acts import act_model, builtin_act_path, load_act_model, save_act_model
from callscore.rubric.schema import LearnedGate, load_rubric, parse_rubric

REPO = Path(__file__).resolve().parents[1]
RUBRICS = {"id": "id-contact-centre", "en": "en-contact-centre"}

# our own probe calls: a failure word said in a request, and failures reported, each far from P 0.5
REQUEST_ID = [
    ("agent", "selamat siang dengan layanan pelanggan"),
    (
        "customer",
        "siang mas, saya mau tanya kalau mau tukar tambah hp yang sudah rusak itu bisa di toko mana saja",
    ),
    ("agent", "bisa di semua gerai kami pak"),
    ("customer", "oh oke terima kasih"),
]
REPORT_ID = [
    ("agent", "selamat pagi"),
    ("customer", "pagi pak, internet di rumah saya mati total dari kemarin sore, lampu modemnya merah terus"),
    ("agent", "baik bu saya cek dulu"),
    ("customer", "iya pak tolong ya"),
]
REQUEST_EN = [
    ("agent", "hello how can i help"),
    (
        "customer",
        "hello, could you tell me if i can upgrade my plan early, my old handset stopped working so i need a "
        "new one anyway",
    ),
    ("agent", "sure i can help with that"),
    ("customer", "thanks"),
]
REPORT_EN = [
    ("agent", "good afternoon"),
    ("customer", "my broadband has been dead since friday and the router light keeps flashing red"),
    ("agent", "okay let me check the line"),
    ("customer", "thanks"),
]


@pytest.fixture(scope="module")
def rubrics():
    return {lang: load_rubric(name) for lang, name in RUBRICS.items()}


def _ungated(rubric):
    triggers = {n: dataclasses.replace(t, learned=None) for n, t in rubric.triggers.items()}
    return dataclasses.replace(rubric, triggers=triggers)


@pytest.mark.parametrize(("lang", "turns"), [("id", REQUEST_ID), ("en", REQUEST_EN)])
def test_a_failure_word_in_a_request_is_vetoed_and_named(rubrics, lang, turns):
    # without the gate the failure phrase opens the complaint items; with it they are not applicable, and
    # the reason names the vetoed words, the model's probability and the words that weighed most
    assert probe_item(turns, "apology_on_complaint", rubric=_ungated(rubrics[lang])).status == "fail"
    res = probe_item(turns, "apology_on_complaint", rubric=rubrics[lang])
    assert res.status == "not_applicable"
    assert "vetoed: learned problem 0." in res.reason and "weighed:" in res.reason
    assert res.evidence and all("vetoed: learned problem" in e.note for e in res.evidence)
    p = float(res.reason.split("learned problem ")[1].split()[0])
    gate = rubrics[lang].triggers["failure"].learned
    assert gate is not None and p < gate.p / 2  # far below the gate


@pytest.mark.parametrize(("lang", "turns"), [("id", REPORT_ID), ("en", REPORT_EN)])
def test_a_reported_failure_still_opens_the_complaint_items(rubrics, lang, turns):
    for item in ("apology_on_complaint", "empathy", "explain_cause"):
        res = probe_item(turns, item, rubric=rubrics[lang])
        assert res.status == "fail", (item, res.reason)
        trigger = [e for e in res.evidence if e.note.startswith("trigger: failure")]
        assert trigger and "learned problem 0.9" in trigger[0].note


def test_an_explicit_complaint_is_never_vetoed(rubrics):
    # the head reads this complaint, next to a request, as no problem (P ~0.15, under the 0.4 bar): gated
    # like the failure trigger, the complaint would vanish; the complaint trigger has no gate
    turns = [
        ("agent", "selamat pagi ada yang bisa saya bantu"),
        ("customer", "saya mau komplain ya mbak"),
        ("agent", "baik bu"),
        ("customer", "terus saya mau tanya juga cara ganti nomor hp yang terdaftar di aplikasi"),
    ]
    rubric = rubrics["id"]
    gate = rubric.triggers["failure"].learned
    assert rubric.triggers["complaint"].learned is None and gate is not None
    gated = dataclasses.replace(
        rubric,
        triggers={
            **rubric.triggers,
            "complaint": dataclasses.replace(rubric.triggers["complaint"], learned=gate),
        },
    )
    assert probe_item(turns, "apology_on_complaint", rubric=gated).status == "not_applicable"
    assert probe_item(turns, "apology_on_complaint", rubric=rubric).status == "fail"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_model_reads_the_rubrics_own_failure_phrases_as_problems(rubrics, lang):
    # the seeds: a gate that vetoed the rubric's own words would undo the phrase list
    model = act_model(lang)
    phrases = rubrics[lang].triggers["failure"].phrases
    read = [model.probability("problem", p) for p in phrases]
    assert sum(p >= 0.5 for p in read) / len(read) >= 0.9


def test_a_short_window_is_too_little_to_veto(rubrics):
    # a lone four-word report the head reads under the bar is kept, and the evidence says why
    turns = [("customer", "aplikasinya tidak bisa dibuka"), ("agent", "baik kak saya cek")]
    res = probe_item(turns, "apology_on_complaint", rubric=rubrics["id"])
    assert res.status == "fail"
    assert "too few to veto" in res.evidence[0].note


def test_the_default_gates(rubrics):
    assert rubrics["id"].triggers["failure"].learned == LearnedGate("problem", p=0.4, context=3, min_words=12)
    assert rubrics["en"].triggers["failure"].learned == LearnedGate("problem", p=0.3, context=3, min_words=12)
    for lang in ("id", "en"):
        assert all(t.learned is None for n, t in rubrics[lang].triggers.items() if n != "failure")


def test_weighed_names_words_of_the_text_with_signs():
    model = act_model("id")
    text = "saya mau tanya kalau mau tukar tambah hp yang sudah rusak"
    weighed = model.weighed("problem", text)
    assert 1 <= len(weighed) <= 3
    assert all(w in text.split() for w, _ in weighed)
    sizes = [abs(d) for _, d in weighed]
    assert sizes == sorted(sizes, reverse=True)
    assert any(d < 0 for _, d in weighed)  # what pulled this request down is named too


def _rubric_with(gate: str) -> str:
    return f"""
id: t
name: t
version: "1"
language: id
triggers:
  failure:
    role: customer
    phrases: [rusak]
    learned: {gate}
items:
  - id: apology
    title: Apology
    description: d
    kind: conditional
    weight: 1
    role: agent
    when: [failure]
    phrases: [mohon maaf]
"""


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        ("{model: problme}", "learned.model 'problme' is not a head of the id act model (known: problem)"),
        (
            "{model: problem, p: 50}",
            "must be a probability in (0, 1), got 50 (a probability is 0-1: write 0.5",
        ),
        ("{model: problem, context: 40}", "context: 0 to 10 sentences on each side, got 40"),
        ("{model: problem, min_words: 0}", "min_words: must be at least 1, got 0"),
        ("{model: problem, threshold: 0.5}", "threshold"),
        ("{p: 0.5}", "model"),
    ],
)
def test_a_misused_gate_is_refused_with_its_line(gate, message):
    with pytest.raises(RubricError) as e:
        parse_rubric(_rubric_with(gate), source="r.yaml")
    assert message in str(e.value) and "r.yaml:" in str(e.value)


def test_a_gate_on_an_item_kind_that_cannot_read_it_is_refused():
    # phrase_absent has no gate: a vetoed "saya tidak tahu" would hide a critical failure
    text = _rubric_with("{model: problem}").replace("kind: conditional", "kind: phrase_absent")
    text = text.replace("    when: [failure]\n", "    learned: {model: problem}\n")
    with pytest.raises(RubricError, match="learned"):
        parse_rubric(text, source="r.yaml")


def test_a_broken_model_file_is_refused_naming_it(tmp_path):
    bad = tmp_path / "acts-id.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match=f"{bad}: not a callscore act model"):
        load_act_model(bad)
    with pytest.raises(ModelError, match="act model file not found"):
        load_act_model(tmp_path / "missing.npz")
    with pytest.raises(ModelError, match="no bundled act model for language 'fr'"):
        builtin_act_path("fr")


def test_a_model_file_round_trips(tmp_path):
    m = act_model("en")
    path = tmp_path / "m.npz"
    save_act_model(
        path,
        heads=m.heads,
        weights=m.weights,
        bias=m.bias,
        sentiment=m.sentiment,
        config=m.config,
        canonical=m.canonical,
        language=m.language,
        meta=m.meta,
    )
    back = load_act_model(path)
    text = "my broadband has been dead since friday"
    assert back.heads == m.heads and back.probability("problem", text) == pytest.approx(
        m.probability("problem", text)
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_bundled_model_is_what_the_trainer_makes_from_the_repository(tmp_path, lang):
    # nothing else went into it: retraining from benchmarks/data gives the same weights (float16 in the file)
    spec = importlib.util.spec_from_file_location("train_acts", REPO / "scripts" / "train_acts.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["train_acts"] = mod
    spec.loader.exec_module(mod)
    out = tmp_path / f"acts-{lang}.npz"
    meta = mod.train(lang, out)
    assert "v8" not in meta["sets"] and "v9" not in meta["sets"]
    fresh, shipped = load_act_model(out), act_model(lang)
    assert fresh.heads == shipped.heads
    np.testing.assert_allclose(fresh.weights, shipped.weights, atol=2e-3)
    np.testing.assert_allclose(fresh.sentiment, shipped.sentiment, atol=2e-3)
    np.testing.assert_allclose(fresh.bias, shipped.bias, atol=2e-3)
