"""Lookups for the form engine's ``region`` and ``industry`` field types.

Registered in :class:`portal.reference.apps.ReferenceConfig.ready`. Stored answers are plain
codes: a county (or, with ``min_level``, a coarser region) and a GB/T 4754 division code.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Industry, Region
from .selectors import get_industry_labels, get_region_path_codes, list_industry_choices
from .widgets import RegionPickerWidget

LEVEL_DEPTH = {Region.Level.PROVINCE: 1, Region.Level.PREFECTURE: 2, Region.Level.COUNTY: 3}
LEVEL_PROMPT = {
    Region.Level.PROVINCE: _("省份"),
    Region.Level.PREFECTURE: _("城市（地级）"),
    Region.Level.COUNTY: _("区县"),
}


class RegionField(forms.CharField):
    """A region code chosen down to ``min_level`` (default county).

    A prefecture-level city without counties (东莞市, 中山市, 儋州市, 嘉峪关市) is accepted where a
    county is asked for: it is the deepest unit there is.
    """

    widget = RegionPickerWidget
    default_error_messages = {
        "unknown": _("未知的行政区划代码：%(code)s。"),
        "too_coarse": _("请选择到%(level)s一级：“%(name)s”是%(chosen)s，不是%(level)s。"),
    }

    def __init__(self, *, min_level: str = Region.Level.COUNTY, **kwargs: Any) -> None:
        if min_level not in LEVEL_DEPTH:
            raise ValueError(f"min_level must be one of {sorted(LEVEL_DEPTH)}, not {min_level!r}")
        self.min_level = min_level
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        path = get_region_path_codes(value)
        if not path:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"code": value})
        code, name, level = path[-1]
        if len(path) < LEVEL_DEPTH[self.min_level] and not is_leaf_region(code):
            raise ValidationError(
                self.error_messages["too_coarse"],
                code="too_coarse",
                params={
                    "level": LEVEL_PROMPT[self.min_level],
                    "name": name,
                    "chosen": Region.Level(level).label,
                },
            )


def is_leaf_region(code: str) -> bool:
    return not Region.objects.filter(parent__code=code).exists()


class IndustryField(forms.TypedChoiceField):
    """A GB/T 4754 code of ``level`` (division by default), grouped by section."""

    def __init__(self, *, level: str = Industry.Level.DIVISION, **kwargs: Any) -> None:
        self.level = level
        kwargs.setdefault("empty_value", "")
        super().__init__(
            choices=lambda: [("", _("请选择所属行业")), *list_industry_choices(level=level)], **kwargs
        )


class RegionLookup:
    """Lookup protocol (see forms_engine.lookups) for GB/T 2260 regions."""

    def formfield(self, **kwargs: Any) -> forms.Field:
        return RegionField(**kwargs)

    def is_valid(self, value: str) -> bool:
        return bool(value) and bool(get_region_path_codes(value))

    def check(self, value: str, *, min_level: str = Region.Level.COUNTY) -> tuple[str, str] | None:
        """The engine asks here whether a stored code is a region at ``min_level``: the same
        check as the picker (a prefecture city without counties, 东莞市 441900, is county level).
        Returns the engine's (code, message) or None."""
        try:
            RegionField(min_level=min_level).validate(value)
        except ValidationError as exc:
            code = "region_level" if exc.code == "too_coarse" else "unknown_code"
            return code, " ".join(exc.messages)
        return None

    def label(self, value: str) -> str:
        path = get_region_path_codes(value) if value else []
        names = [name for _code, name, _level in path if name not in SYNTHETIC_NODE_NAMES]
        return " ".join(names) if path else value


# Prefecture-level placeholders given by the data package; left out of labels.
SYNTHETIC_NODE_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


class IndustryLookup:
    """Lookup protocol for GB/T 4754-2017 industries."""

    def __init__(self, level: str = Industry.Level.DIVISION) -> None:
        self.level = level

    def formfield(self, **kwargs: Any) -> forms.Field:
        kwargs.setdefault("level", self.level)
        return IndustryField(**kwargs)

    def is_valid(self, value: str) -> bool:
        return value in get_industry_labels()

    def label(self, value: str) -> str:
        return get_industry_labels().get(value, value)
