"""Helpers shared by the designer forms: JSON numbers, key/number/text fields, row formsets."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.schema.parser import size_problem

KEY_HELP = _("小写字母开头，只含小写字母、数字和下划线，如 network_build；答案和规则都以它引用。")


def number(value: Decimal | None) -> int | float | None:
    """A form Decimal as a JSON number (20 stays 20, 7.5 stays 7.5)."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def key_field(**kwargs: Any) -> forms.RegexField:
    return forms.RegexField(
        label=_("标识"),
        regex=r"^[a-z][a-z0-9_]{0,62}$",
        max_length=63,
        help_text=KEY_HELP,
        error_messages={"invalid": _("标识只能由小写字母、数字和下划线组成，以字母开头")},
        **kwargs,
    )


def decimal_field(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=20, decimal_places=6, **kwargs)


MAX_JSON_CHARACTERS = 2_000_000  # far above any definition (the largest shipped one is 63 KB)


def parse_json_object(text: str, *, limit: int = MAX_JSON_CHARACTERS) -> dict[str, Any]:
    """A JSON object typed into a text box; ValidationError (code ``invalid``, ``too_large`` or
    ``too_deep``) in Chinese otherwise — never a crash, whatever is pasted."""
    if len(text) > limit:
        raise forms.ValidationError(
            _("内容过大（%(size)s 个字符，最多 %(limit)s 个）"),
            params={"size": f"{len(text):,}", "limit": f"{limit:,}"},
            code="too_large",
        )
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(
            _("不是有效的 JSON：第 %(line)s 行第 %(column)s 列附近有错误"),
            params={"line": exc.lineno, "column": exc.colno},
            code="invalid",
        ) from None
    except RecursionError:
        raise forms.ValidationError(_("JSON 嵌套层次过深"), code="too_deep") from None
    if not isinstance(parsed, dict):
        raise forms.ValidationError(_("必须是 JSON 对象（以 { 开头）"), code="invalid")
    problem = size_problem(parsed)
    if problem is not None:
        raise forms.ValidationError(problem.message, code=problem.code.removeprefix("schema_"))
    return parsed


def text_field(label: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, **kwargs)


def drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [])}


class RowFormSet(forms.BaseFormSet):
    """A formset whose rows carry readable, numbered labels (选项1 分值 …) for screen readers and
    tests, and which returns the kept rows as JSON in the chosen order."""

    row_label = _("第%(n)s行")

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        n = (index or 0) + 1
        for name, field in form.fields.items():
            label = {"ORDER": _("排序"), "DELETE": _("删除")}.get(name, field.label)
            field.widget.attrs["aria-label"] = f"{self.row_label % {'n': n}} {label}"

    def rows(self) -> list[dict[str, Any]]:
        # ordered_forms leaves out deleted rows and untouched extra rows
        return [form.to_json() for form in self.ordered_forms]


def row_formset(form_class: type[forms.Form], label: str, *, extra: int = 1) -> type[RowFormSet]:
    formset = type(f"{form_class.__name__}Set", (RowFormSet,), {"row_label": label})
    return forms.formset_factory(form_class, formset=formset, extra=extra, can_delete=True, can_order=True)
