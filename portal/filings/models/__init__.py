"""Filings models: the evidence zip (:mod:`.evidence`), windows and requirements (:mod:`.windows`),
the filing and its timeline (:mod:`.filing`)."""

from .evidence import EvidenceArchive
from .filing import Filing, FilingEvent
from .review import ReturnNote, ReviewChain, ScoreAdjustment
from .windows import FilingLevel, FilingRequirement, FilingWindow

__all__ = [
    "EvidenceArchive",
    "Filing",
    "FilingEvent",
    "FilingLevel",
    "FilingRequirement",
    "FilingWindow",
    "ReturnNote",
    "ReviewChain",
    "ScoreAdjustment",
]
