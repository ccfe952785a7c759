"""Recognition on the enterprise's own pages: the 认定结果 card of a recognised filing's 【详情】 and
the recognitions with their certificates on the profile (企业信息)."""

from __future__ import annotations

from django import template

from portal.filings.states import State

from .. import selectors

register = template.Library()


@register.inclusion_tag("recognition/_filing_recognition.html")
def filing_recognition(filing):
    recognition = selectors.recognition_of_filing(filing) if filing.state == State.RECOGNISED else None
    return {"recognition": recognition}


@register.inclusion_tag("recognition/_enterprise_recognitions.html")
def enterprise_recognitions(enterprise):
    return {"recognitions": selectors.recognitions_of_enterprise(enterprise)}
