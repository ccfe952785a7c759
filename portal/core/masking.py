"""Masking of personal numbers for lists, the admin and logs (SPEC F-61).

``mask_phone("13812345678") -> "138****5678"``
``mask_id_number("440305199001011234") -> "4403**********1234"``
``mask_uscc`` keeps the region and the tail, since a USCC identifies an organisation, not a person,
but lists still do not need all of it.
"""

from __future__ import annotations


def _mask(value: str, head: int, tail: int) -> str:
    value = (value or "").strip()
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_phone(value: str) -> str:
    return _mask(value, 3, 4)


def mask_id_number(value: str) -> str:
    return _mask(value, 4, 4)


def mask_uscc(value: str) -> str:
    return _mask(value, 8, 4)


def mask_email(value: str) -> str:
    local, sep, domain = (value or "").partition("@")
    if not sep:
        return _mask(value, 1, 0)
    return (local[:1] + "***" if local else "") + "@" + domain
