"""Extract Resemblyzer's voice encoder into ``models/voice_encoder.npz`` (run once, offline).

The speaker embeddings callscore uses for mono diarization come from Resemblyzer's pretrained voice
encoder (Resemble AI, Apache-2.0; the weights ship inside its PyPI wheel). Resemblyzer itself needs torch
and a broken webrtcvad pin, so callscore carries the weights as a small numpy archive instead and runs
the forward pass in numpy (``callscore/voice_encoder.py``).

Usage (needs torch and resemblyzer in the environment that runs it, not at callscore run time)::

    pip install --no-deps resemblyzer webrtcvad-wheels
    python models/build_voice_encoder.py            # writes models/voice_encoder.npz

The archive holds the LSTM/linear weights as float16 (float32 output error is below 1e-3 in cosine, see
tests/test_voice_encoder.py), the 40-band mel filterbank as float32, and provenance strings.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SAMPLE_RATE = 16000  # Hz
N_FFT = 400  # samples: 25 ms window (resemblyzer mel_window_length)
HOP = 160  # samples: 10 ms step
N_MELS = 40


def main() -> None:
    """Read resemblyzer's pretrained.pt and write the numpy archive."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE / "voice_encoder.npz")
    ap.add_argument("--dtype", choices=("float16", "float32"), default="float16")
    args = ap.parse_args()

    import librosa
    import resemblyzer
    import torch

    src = Path(resemblyzer.__file__).resolve().parent / "pretrained.pt"
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    state = torch.load(src, map_location="cpu", weights_only=False)["model_state"]
    arrays: dict[str, np.ndarray] = {}
    for key, tensor in state.items():
        if key.startswith(("lstm.", "linear.")):
            arrays[key.replace(".", "_")] = tensor.numpy().astype(args.dtype)
    # Same filterbank resemblyzer's wav_to_mel_spectrogram gets from librosa (Slaney mel, area-normalised).
    arrays["mel_basis"] = librosa.filters.mel(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS).astype(np.float32)
    version = getattr(resemblyzer, "__version__", "0.1.4")
    arrays["provenance"] = np.array(
        f"Resemblyzer {version} (https://github.com/resemble-ai/Resemblyzer, Apache-2.0) "
        f"pretrained.pt sha256={sha}; weights stored as {args.dtype}"
    )
    np.savez_compressed(args.out, **arrays)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) from {src} (sha256 {sha[:12]}...)")


if __name__ == "__main__":
    main()
