"""``{{ bytes|evidence_size }}``: sizes as the refusal messages write them (1 MB = 1024 × 1024)."""

from django import template

from portal.filings.evidence.refusals import format_bytes

register = template.Library()


@register.filter
def evidence_size(value) -> str:
    try:
        return format_bytes(int(value))
    except (TypeError, ValueError):
        return ""
