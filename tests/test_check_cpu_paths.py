"""examples/check_cpu_paths.py: which CPU paths a machine offers, and which verdicts must hold on each."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_cpu_paths", REPO / "examples" / "check_cpu_paths.py")
assert _spec and _spec.loader
cpu = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = cpu  # dataclasses look their module up there
_spec.loader.exec_module(cpu)

AVX512_FLAGS = frozenset(["avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"])


def test_an_avx512_machine_offers_every_isa_with_both_matrix_libraries():
    paths = cpu.supported_paths(machine="x86_64", flags=AVX512_FLAGS)
    assert [p.name for p in paths] == [
        f"{isa}+{lib}" for isa in ("GENERIC", "AVX", "AVX2", "AVX512") for lib in ("oneDNN", "MKL")
    ]
    assert paths[-1].env() == {"CT2_FORCE_CPU_ISA": "AVX512", "CT2_USE_MKL": "1"}


def test_an_avx2_machine_is_not_asked_for_avx512_and_arm_gets_the_generic_path():
    names = [p.name for p in cpu.supported_paths(machine="x86_64", flags=frozenset({"avx", "avx2", "fma"}))]
    assert "AVX2+MKL" in names and not any(n.startswith("AVX512") for n in names)
    assert [p.name for p in cpu.supported_paths(machine="aarch64", flags=AVX512_FLAGS)] == ["GENERIC+oneDNN"]


def test_paths_can_be_named_and_a_bad_name_is_refused():
    assert [p.name for p in cpu.parse_paths("avx2:0, AVX512:1")] == ["AVX2+oneDNN", "AVX512+MKL"]
    with pytest.raises(SystemExit, match="SSE4"):
        cpu.parse_paths("SSE4:0")


def test_every_example_names_its_headline_and_the_critical_items_join_it():
    truth = json.loads((REPO / "examples" / "truth.json").read_text(encoding="utf-8"))
    for name, ex in truth["examples"].items():
        want = cpu.headline_items(ex, truth["critical_items"])
        assert ex["headline"] and set(ex["headline"]) <= set(want), name
        listed = {i for i in truth["critical_items"] if i in ex["expected"]}
        assert listed <= set(want), name
    every = {n for n, ex in truth["examples"].items() if set(truth["critical_items"]) <= set(ex["expected"])}
    assert every >= {"good_call", "no_apology", "interruption", "dead_air", "rude"}
