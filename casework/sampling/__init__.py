"""Spot-check sampling: frozen frames, a reproducible weighted stratified draw, visit results
and their discrepancy roll-up. The algorithm is documented in :mod:`casework.sampling.draw` and
:mod:`casework.sampling.frame` so an auditor can redo a draw without this code."""

from .design import DrawRequest, parse_request
from .errors import InputRefused
from .draw import ALGORITHM, Candidate, Design, draw, stratum_size, uniform
from .frame import FrameEntry, canonical_text, frame_key
from .report import draw_document, dumps
from .store import AreaNotFound, Drawn, Frozen, draw_sample, freeze, save_draw, verify_sample

__all__ = [
    "ALGORITHM", "AreaNotFound", "InputRefused", "Candidate", "Design", "DrawRequest", "Drawn",
    "FrameEntry",
    "Frozen", "canonical_text", "draw", "draw_document", "draw_sample", "dumps", "frame_key",
    "freeze", "parse_request", "save_draw", "stratum_size", "uniform", "verify_sample",
]
