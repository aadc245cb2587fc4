"""The one decibel helper: signal levels in dBFS, floored so silence gives a number, not -inf."""

from __future__ import annotations

import numpy as np

FLOOR_DB = -120.0  # dBFS; silence reads as this (digital silence has no level)


def to_db(value: np.ndarray | float, *, power: bool = False, floor_db: float = FLOOR_DB) -> np.ndarray:
    """Level in dB of an RMS amplitude (20 log10) or, with ``power=True``, of a mean power (10 log10).

    Parameters
    ----------
    value : np.ndarray or float, amplitude (or power) relative to full scale, any shape
    power : the values are powers (mean squares), not amplitudes
    floor_db : levels below this are returned as this

    Returns
    -------
    np.ndarray, same shape as ``value``, dBFS
    """
    factor = 10.0 if power else 20.0
    return factor * np.log10(np.maximum(value, 10.0 ** (floor_db / factor)))
