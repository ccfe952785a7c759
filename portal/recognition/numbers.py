"""Recognition numbers (认定编号) from a configurable pattern.

The official format is not known (policy/standards.md §7: "Certificate / recognition number format
— Not found"), so the pattern is a setting (:class:`~portal.recognition.models.RecognitionSettings`)
and the default ``{province_abbr}{level_code}{year}{seq:05d}`` (``粤CX202600001``) is a placeholder.

Placeholders: ``{province_abbr}`` (the enterprise's province, 粤), ``{province_code}`` (44),
``{level_code}`` (a setting per level), ``{year}`` (the recognition year) and ``{seq}`` (required,
with an optional format such as ``{seq:05d}``).

- :func:`check_pattern` — raises :class:`NumberPatternError` for a pattern that cannot number.
- :func:`allocate_number` — the next number of a pattern for some values: numbers that differ only in
  ``{seq}`` share one sequence (a :class:`~portal.recognition.models.RecognitionSequence` row),
  locked for the caller's transaction, so numbers are unique and, as a rolled-back recognition
  gives its number back, without gaps.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import RecognitionSequence

# GB/T 2260 province prefixes → the provinces' official one-character abbreviations (简称)
PROVINCE_ABBREVIATIONS = {
    "11": "京",
    "12": "津",
    "13": "冀",
    "14": "晋",
    "15": "蒙",
    "21": "辽",
    "22": "吉",
    "23": "黑",
    "31": "沪",
    "32": "苏",
    "33": "浙",
    "34": "皖",
    "35": "闽",
    "36": "赣",
    "37": "鲁",
    "41": "豫",
    "42": "鄂",
    "43": "湘",
    "44": "粤",
    "45": "桂",
    "46": "琼",
    "50": "渝",
    "51": "川",
    "52": "贵",
    "53": "云",
    "54": "藏",
    "61": "陕",
    "62": "甘",
    "63": "青",
    "64": "宁",
    "65": "新",
}
PLACEHOLDERS = ("province_abbr", "province_code", "level_code", "year", "seq")
MAX_NUMBER_LENGTH = 64
SAMPLE = {"province_abbr": "粤", "province_code": "44", "level_code": "ZJTX", "year": 2026}


class NumberPatternError(ValueError):
    """A pattern that cannot number: ``code`` is stable."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class NumberValues:
    province_abbr: str
    province_code: str
    level_code: str
    year: int

    @classmethod
    def of(cls, *, province_code: str, level_code: str, year: int) -> NumberValues:
        prefix = (province_code or "")[:2]
        return cls(PROVINCE_ABBREVIATIONS.get(prefix, ""), prefix, level_code, year)

    def as_dict(self) -> dict[str, object]:
        return {
            "province_abbr": self.province_abbr,
            "province_code": self.province_code,
            "level_code": self.level_code,
            "year": self.year,
        }


def _fields(pattern: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise NumberPatternError(
            _("编号格式的花括号不成对：%(error)s") % {"error": exc}, "pattern_syntax"
        ) from exc


def check_pattern(pattern: str) -> None:
    """Raise NumberPatternError unless ``pattern`` uses known placeholders and ``{seq}`` once."""
    names = [name for _literal, name, _spec, _conversion in _fields(pattern) if name is not None]
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        raise NumberPatternError(
            _("编号格式中有未知的占位符：%(names)s。可用：%(known)s。")
            % {
                "names": "、".join("{" + n + "}" for n in unknown),
                "known": "、".join("{" + n + "}" for n in PLACEHOLDERS),
            },
            "pattern_unknown_placeholder",
        )
    if names.count("seq") != 1:
        raise NumberPatternError(_("编号格式必须包含且只包含一个序号占位符 {seq}。"), "pattern_seq")
    try:
        sample = render(pattern, NumberValues(**SAMPLE), 99999)
    except (ValueError, TypeError, KeyError) as exc:
        raise NumberPatternError(
            _("编号格式无法生成编号：%(error)s") % {"error": exc}, "pattern_format"
        ) from exc
    if len(sample) > MAX_NUMBER_LENGTH:
        raise NumberPatternError(
            _("生成的编号超过 %(n)s 个字符。") % {"n": MAX_NUMBER_LENGTH}, "pattern_too_long"
        )


def render(pattern: str, values: NumberValues, seq: int) -> str:
    return pattern.format(**values.as_dict(), seq=seq)


class _SeqMarker:
    """Stands for ``{seq}`` whatever its format: ``{seq:05d}`` renders as the marker too."""

    def __format__(self, spec: str) -> str:
        return "{seq}"


def sequence_key(pattern: str, values: NumberValues) -> str:
    """The pattern rendered with everything but ``{seq}``, which stays a marker: the numbers that
    differ only in their sequence number share it."""
    return pattern.format(**values.as_dict(), seq=_SeqMarker())


def allocate_number(*, pattern: str, values: NumberValues) -> str:
    """The next number of ``pattern`` for ``values``; call inside the recognition's transaction.

    Raises NumberPatternError for a bad pattern.
    """
    check_pattern(pattern)
    key = sequence_key(pattern, values)[: RecognitionSequence._meta.get_field("key").max_length]
    row = RecognitionSequence.objects.select_for_update().filter(key=key).first()
    if row is None:
        try:
            with transaction.atomic():  # savepoint: a concurrent first number created it meanwhile
                RecognitionSequence.objects.create(key=key)
        except IntegrityError:
            pass
        row = RecognitionSequence.objects.select_for_update().get(key=key)
    row.last_value += 1
    row.save(update_fields=["last_value"])
    return render(pattern, values, row.last_value)
