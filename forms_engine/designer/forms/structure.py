"""Forms for steps, sections, fields and their options."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.designer.forms.base import RowFormSet, decimal_field, key_field, number, text_field
from forms_engine.diff import FROZEN_KEY_MESSAGE
from forms_engine.fields import COMMON_ATTRIBUTES, field_types


class ContainerForm(forms.Form):
    """A step or a section: key, title, help."""

    key = key_field()
    title = forms.CharField(label=_("标题"), max_length=200)
    help = text_field(_("说明"), widget=forms.Textarea(attrs={"rows": 2}))

    def to_json(self, original: dict[str, Any] | None, children: str) -> dict[str, Any]:
        data = dict(original or {children: []})
        data.update({"key": self.cleaned_data["key"], "title": self.cleaned_data["title"]})
        if self.cleaned_data["help"]:
            data["help"] = self.cleaned_data["help"]
        else:
            data.pop("help", None)
        return data


def field_type_choices() -> list[tuple[str, str]]:
    """Every field type by its Chinese name, in the registry's order."""
    return [(t.name, t.label) for t in field_types]


class FieldForm(forms.Form):
    """One question. Attributes that do not apply to the chosen type are dropped on save."""

    key = key_field()
    type = forms.ChoiceField(label=_("题型"), choices=field_type_choices)
    label = text_field(_("题目"), max_length=500)
    help = text_field(_("填写说明"), widget=forms.Textarea(attrs={"rows": 2}))
    text = text_field(_("说明文字（仅“说明文字”类型）"), widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("必填"), required=False)
    readonly = forms.BooleanField(label=_("只读"), required=False)
    visible_if = text_field(_("显示条件（表达式，如 has_rd == true）"), max_length=1000)
    default = text_field(_('默认值（JSON，如 0、"A"、true）'), max_length=1000)
    prefill = text_field(_("预填来源（如 profile.name）"), max_length=100)
    min = text_field(_("最小值（数字；日期为 YYYY-MM-DD）"), max_length=40)
    max = text_field(_("最大值（数字；日期为 YYYY-MM-DD）"), max_length=40)
    unit = text_field(_("单位（如 万元、%、人）"), max_length=20)
    decimal_places = forms.IntegerField(label=_("小数位数"), required=False, min_value=0, max_value=6)
    min_length = forms.IntegerField(label=_("最少字数"), required=False, min_value=0)
    max_length = forms.IntegerField(label=_("最多字数"), required=False, min_value=1)
    pattern = text_field(_("格式（正则表达式，整体匹配）"), max_length=300)
    pattern_message = text_field(_("格式不符时的提示"), max_length=200)
    widget = forms.ChoiceField(
        label=_("单选控件"),
        required=False,
        choices=[("", _("默认（单选按钮）")), ("radio", _("单选按钮")), ("select", _("下拉框"))],
    )
    min_selected = forms.IntegerField(label=_("最少选择项数"), required=False, min_value=0)
    max_selected = forms.IntegerField(label=_("最多选择项数"), required=False, min_value=1)
    expression = text_field(_("计算公式（仅“计算值”类型）"), max_length=1000)
    min_level = forms.ChoiceField(
        label=_("行政区划最低级别"),
        required=False,
        choices=[
            ("", _("默认（县级）")),
            ("county", _("县级")),
            ("prefecture", _("地级")),
            ("province", _("省级")),
        ],
    )
    # scoring of a choice question, kept in the matching ``option`` score item
    scored = forms.BooleanField(label=_("计入得分（按所选选项的分值）"), required=False)
    score_group = forms.ChoiceField(label=_("计入得分组"), required=False)
    score_max = decimal_field(_("本题满分"), min_value=0)

    def __init__(
        self, *args: Any, frozen: bool = False, groups: list[tuple[str, str]] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.frozen = frozen
        self.fields["score_group"].choices = [("", _("（不分组）"))] + [
            (k, f"{label}（{k}）") for k, label in groups or []
        ]
        if frozen:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = (
                FROZEN_KEY_MESSAGE + "。" + str(_("删除该字段是允许的：旧答案仍随其版本保存。"))
            )

    PRIMARY = ("key", "type", "label", "help", "required")
    SCORING = ("scored", "score_group", "score_max")

    def primary_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PRIMARY]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.PRIMARY + self.SCORING]

    def scoring_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SCORING]

    @classmethod
    def initial_from(cls, raw: dict[str, Any], item: dict[str, Any] | None) -> dict[str, Any]:
        initial = {name: raw.get(name) for name in cls.base_fields if name in raw}
        if "default" in raw:
            initial["default"] = json.dumps(raw["default"], ensure_ascii=False)
        for name in ("min", "max"):
            if raw.get(name) is not None:
                initial[name] = str(raw[name])
        if item is not None:
            initial.update(scored=True, score_group=item.get("group") or "", score_max=item.get("max"))
        return initial

    def clean_default(self) -> Any:
        value = self.cleaned_data["default"]
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            return value  # plain text is a text default

    def _bound(self, name: str) -> Any:
        value = self.cleaned_data.get(name) or ""
        if value == "":
            return None
        try:
            return number(Decimal(value))
        except ArithmeticError:
            if self.cleaned_data.get("type") == "date":
                return value
            self.add_error(name, _("请输入数字"))
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ftype = data.get("type")
        if ftype in field_types and field_types.get(ftype).has_value and not data.get("label"):
            self.add_error("label", _("请填写题目"))
        if data.get("scored") and not (ftype in field_types and field_types.get(ftype).choice):
            self.add_error("scored", _("只有单选题和多选题可以按选项计分；其他计分方式请在“计分规则”中设置"))
        if data.get("scored") and data.get("score_max") is None:
            self.add_error("score_max", _("请填写本题满分"))
        return data

    def to_json(self, original: dict[str, Any] | None) -> dict[str, Any]:
        """The field's JSON: the original attributes the form does not show (table columns,
        scenario, file types …) are kept; attributes the type does not allow are dropped."""
        data = self.cleaned_data
        ftype = data["type"]
        kind = field_types.get(ftype)
        allowed = COMMON_ATTRIBUTES | kind.attributes
        raw = {k: v for k, v in (original or {}).items() if k in allowed}
        values: dict[str, Any] = {
            "key": data["key"],
            "type": ftype,
            "label": data["label"],
            "help": data["help"],
            "text": data["text"],
            "required": data["required"],
            "readonly": data["readonly"],
            "visible_if": data["visible_if"],
            "default": data["default"],
            "prefill": data["prefill"],
            "min": self._bound("min"),
            "max": self._bound("max"),
            "unit": data["unit"],
            "decimal_places": data["decimal_places"],
            "min_length": data["min_length"],
            "max_length": data["max_length"],
            "pattern": data["pattern"],
            "pattern_message": data["pattern_message"],
            "widget": data["widget"],
            "min_selected": data["min_selected"],
            "max_selected": data["max_selected"],
            "expression": data["expression"],
            "min_level": data["min_level"],
        }
        for name, value in values.items():
            if name not in allowed:
                continue
            if value in (None, "") or (value is False and name in ("required", "readonly")):
                raw.pop(name, None)
            else:
                raw[name] = value
        raw.pop("key", None)
        raw.pop("type", None)
        return {"key": data["key"], "type": ftype, **raw}


class OptionForm(forms.Form):
    value = forms.CharField(label=_("选项值"), max_length=50)
    label = forms.CharField(label=_("选项文字"), max_length=500)
    score = decimal_field(_("分值"))
    help = text_field(_("说明"), max_length=500)
    exclusive = forms.BooleanField(label=_("互斥（如“无”）"), required=False)

    def to_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        option: dict[str, Any] = {"value": data["value"], "label": data["label"]}
        if data.get("score") is not None:
            option["score"] = number(data["score"])
        if data.get("help"):
            option["help"] = data["help"]
        if data.get("exclusive"):
            option["exclusive"] = True
        return option


class OptionFormSet(RowFormSet):
    row_label = _("选项%(n)s")


OptionFormSetFactory = forms.formset_factory(
    OptionForm, formset=OptionFormSet, extra=3, can_delete=True, can_order=True
)


def option_initial(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**o, "ORDER": i + 1} for i, o in enumerate(options)]
