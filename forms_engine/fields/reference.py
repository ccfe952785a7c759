"""Reference data: ``region`` (GB/T 2260 code) and ``industry`` (GB/T 4754 code).

The engine does not know the host's reference data: the host registers lookups (see
:mod:`forms_engine.lookups`) that build the picker, check a code and name it. A region's level
(province / prefecture / county) is decided by the host's lookup too — 东莞市 441900 has no
counties, so it is the deepest unit there and counts as county level. Only without a host lookup
(the pure engine in tests) are codes checked by their shape.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from forms_engine.fields import field_types
from forms_engine.fields.base import AnswerError, FieldType, SpecField
from forms_engine.lookups import lookups

LEVELS = ("province", "prefecture", "county")


def region_level_problem(code: str, min_level: str) -> tuple[str, str] | None:
    """(code, message) when ``code`` is coarser than ``min_level`` by the GB/T 2260 code shape only.

    The fallback without a host lookup: xx0000 is a province, xxxx00 a prefecture. It cannot know
    prefecture cities without counties; the host's lookup can (and is asked first).
    """
    if min_level == "county" and code.endswith("00"):
        return "region_level", "请选择到区/县一级"
    if min_level == "prefecture" and code.endswith("0000"):
        return "region_level", "请选择到地市一级"
    return None


class LookupType(FieldType):
    lookup = ""
    pattern = ""

    def host_lookup(self) -> Any:
        return lookups.get(self.lookup) if self.lookup in lookups else None

    def check(self, field, value: str) -> tuple[str, str] | None:
        """(code, message) of what is wrong with ``value``; the host's lookup decides if it can."""
        lookup = self.host_lookup()
        if lookup is not None and hasattr(lookup, "check"):
            return lookup.check(value, **self.lookup_options(field))
        known = lookup.is_valid(value) if lookup is not None else re.fullmatch(self.pattern, value)
        if not known:
            return "unknown_code", "请选择有效的选项"
        return self.shape_problem(field, value)

    def shape_problem(self, field, value: str) -> tuple[str, str] | None:
        return None

    def lookup_options(self, field) -> dict[str, Any]:
        return {}

    def coerce(self, field, raw):
        if isinstance(raw, (list, dict, bool)):
            raise AnswerError("unknown_code", "请选择有效的选项")
        value = str(raw).strip()
        if len(value) > 12:
            raise AnswerError("unknown_code", "请选择有效的选项")
        problem = self.check(field, value)
        if problem is not None:
            raise AnswerError(*problem)
        return value

    def display(self, field, value):
        lookup = self.host_lookup()
        return lookup.label(value) if lookup is not None else str(value)

    def formfield(self, field):
        lookup = self.host_lookup()
        if lookup is not None:
            inner = lookup.formfield(required=False, **self.lookup_options(field))
            return SpecField(field, inner=inner, widget=inner.widget)
        return SpecField(field, widget=forms.TextInput(attrs={"inputmode": "numeric"}))


@field_types.register
class RegionType(LookupType):
    name = "region"
    label = "行政区划"
    order = 50
    attributes = frozenset({"min_level"})
    attribute_labels = {"min_level": "区划级别"}
    designer_inputs = ("min_level",)
    lookup = "region"
    pattern = r"\d{6}"

    def parse(self, parser, raw, place):
        min_level = raw.get("min_level", "county")
        if min_level not in LEVELS:
            parser.issue("invalid_level", "min_level 只能是 province、prefecture 或 county", place)
        return {"min_level": min_level}

    def lookup_options(self, field):
        return {"min_level": field.min_level}

    def shape_problem(self, field, value):
        return region_level_problem(value, field.min_level)


@field_types.register
class IndustryType(LookupType):
    name = "industry"
    label = "所属行业"
    order = 51
    lookup = "industry"
    pattern = r"[A-T]|\d{2,4}"
