"""Speakers stage: who is who. Stereo: one speaker per channel; mono: two-speaker diarization; then roles.

``assign`` (speakers and roles onto a transcript), ``diarize`` (voice embeddings clustered in two),
``voice_encoder`` (the bundled numpy speaker encoder), ``roles`` (agent vs customer from what each says;
cues in ``rubrics/lang/<code>/roles.yaml``).
"""

from callscore.speakers.assign import SpeakerOptions, assign_speakers, diarize_mono
from callscore.speakers.diarize import DiarizeOptions, SpeakerTurn, diarize_two
from callscore.speakers.roles import RoleDecision, RoleOptions, decide_roles

__all__ = [
    "DiarizeOptions",
    "RoleDecision",
    "RoleOptions",
    "SpeakerOptions",
    "SpeakerTurn",
    "assign_speakers",
    "decide_roles",
    "diarize_mono",
    "diarize_two",
]
