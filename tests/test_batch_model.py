"""The batch with the real bundled Whisper model in its worker processes (ASR + timeline stand-in scorer)."""

from __future__ import annotations

import shutil

import pytest
from batch_helpers import asr_factory, espeak_call

from callscore.batch.driver import FAILED, SCORED, BatchOptions, RunKey, run_batch
from callscore.batch.inputs import plan_inputs
from callscore.pipeline import PipelineOptions
from callscore.transcript.transcribe import TranscribeOptions

pytestmark = pytest.mark.model


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed (apt-get install espeak-ng)"
)
def test_real_model_in_workers(tmp_path):
    src = tmp_path / "calls"
    src.mkdir()
    espeak_call(
        src / "budi_1.wav", "Selamat pagi, terima kasih telah menghubungi kami.", "Saya mau tanya tagihan."
    )
    (src / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really audio")
    calls, _ = plan_inputs([src])
    opts = BatchOptions(
        out_dir=tmp_path / "out",
        jobs=1,
        pipeline=PipelineOptions(transcribe=TranscribeOptions(cpu_threads=2)),
        scorer_factory=asr_factory,
        run_key=RunKey("asr-smoke", "1", "whisper-base"),
        html=False,
    )
    summary = run_batch(calls, options=opts)
    status = {o.call_id: o for o in summary.outcomes}
    assert status["budi_1"].status == SCORED and status["budi_1"].total == 100.0
    assert status["budi_1"].duration > 3.0
    assert status["broken"].status == FAILED and "broken.wav" in status["broken"].reason
    assert summary.exit_code == 1
