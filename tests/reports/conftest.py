"""Helpers of the export and dashboard tests: filings waiting at a level (made as rows: the review
tests walk the chain itself). Regions and reviewers are the root conftest's."""

from __future__ import annotations

from django.test import Client

from portal.filings.states import ReviewLevel, State, level_rank
from tests.factories import recognition as factories


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pending_filing(region, *, at: str = ReviewLevel.COUNTY, level: str = "innovative", year: int = 2026):
    """A filing of ``level`` waiting (待审核) at the step of ``at`` in its chain."""
    filing = factories.approved_filing(region=region, level=level, year=year, state=State.PENDING)
    step = next(i for i, s in enumerate(filing.chain_steps) if s.level == at)
    filing.step = step
    filing.current_level = at
    filing.reached_rank = level_rank(at)
    filing.verified_score = None
    filing.decided_at = None
    filing.save()
    return filing
