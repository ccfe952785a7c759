"""Validators for Chinese identity numbers, shared by accounts, enterprises and the filings.

- ``validate_uscc(value)``: 统一社会信用代码, GB 32100-2015 (18 characters, check character).
- ``validate_id_number(value)``: 居民身份证号码, GB 11643-1999 (18 characters, birth date,
  ISO 7064 MOD 11-2 check digit).
- ``validate_phone(value)``: mainland mobile number (11 digits starting with 1).
- ``normalize_uscc`` / ``normalize_id_number``: strip spaces and upper-case before validating
  or storing, so "9144…x" and "9144…X" are the same key.
- ``is_uscc(value)`` / ``is_id_number(value)``: the same checks as booleans, for fields that accept
  either (「统一社会信用代码或身份证号」).
- ``uscc_province_code(value)``: the province of the registration authority (characters 3–4).

Each raises ``django.core.exceptions.ValidationError`` with a ``code``.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the code alphabet excludes I, O, S, V, Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# GB 11643-1999
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^[1-9][0-9]{5}[0-9]{8}[0-9]{3}[0-9X]$")

_PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def normalize_uscc(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def uscc_check_character(first17: str) -> str:
    """The 18th character of a USCC for its first 17 characters (GB 32100-2015 §5)."""
    total = sum(
        USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def id_check_character(first17: str) -> str:
    """The 18th character of an ID number for its first 17 digits (GB 11643-1999, ISO 7064 MOD 11-2)."""
    total = sum(int(char) * weight for char, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def validate_uscc(value: str) -> None:
    """Raise ValidationError (code ``uscc_format`` or ``uscc_checksum``) unless ``value`` is a valid USCC."""
    code = normalize_uscc(value)
    if not _USCC_RE.match(code):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母（不含 I、O、S、V、Z）。"), code="uscc_format"
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), code="uscc_checksum")


def validate_id_number(value: str) -> None:
    """Raise ValidationError (``id_format``, ``id_birth_date`` or ``id_checksum``) unless valid."""
    number = normalize_id_number(value)
    if not _ID_RE.match(number):
        raise ValidationError(_("身份证号应为18位，前17位为数字，最后一位为数字或 X。"), code="id_format")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth_date") from None
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth_date")
    if id_check_character(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对后重新输入。"), code="id_checksum")


def validate_phone(value: str) -> None:
    """Raise ValidationError (code ``phone_format``) unless ``value`` is an 11-digit mobile number."""
    if not _PHONE_RE.match((value or "").strip()):
        raise ValidationError(_("请输入11位手机号。"), code="phone_format")


def uscc_region_code(value: str) -> str:
    """Digits 3–8 of a USCC: the registration authority's administrative division code (GB/T 2260)."""
    return normalize_uscc(value)[2:8]


def uscc_province_code(value: str) -> str:
    """``xx0000`` of the registration authority's division (USCC characters 3–4), or "".

    Never the first two characters: those are the registering department and the organisation
    type (``91`` = 工商 / 企业), the same for every company in the country.
    """
    region = uscc_region_code(value)
    return region[:2] + "0000" if region.isdigit() and len(region) == 6 else ""


def is_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except ValidationError:
        return False
    return True


def is_id_number(value: str) -> bool:
    try:
        validate_id_number(value)
    except ValidationError:
        return False
    return True
