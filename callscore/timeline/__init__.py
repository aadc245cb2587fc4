"""Timeline stage: who spoke when — turns, interruptions vs back-channels, dead air, holds, talk ratio.

``model`` (Timeline, Turn, Overlap, Silence and their options; back-channels from
``rubrics/lang/<code>/backchannels.yaml``), ``from_words`` (built from word times alone),
``from_audio`` (voice activity per channel sharpens the edges and finds holds). Definitions: docs/timing.md.
"""

from callscore.timeline.from_audio import CallTimelineOptions, build_call_timeline
from callscore.timeline.from_words import build_timeline
from callscore.timeline.model import SCORING_TIMELINE, Overlap, Silence, Span, Timeline, TimelineOptions, Turn

__all__ = [
    "SCORING_TIMELINE",
    "CallTimelineOptions",
    "Overlap",
    "Silence",
    "Span",
    "Timeline",
    "TimelineOptions",
    "Turn",
    "build_call_timeline",
    "build_timeline",
]
