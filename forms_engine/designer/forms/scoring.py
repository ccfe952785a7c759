"""Forms for score items and bands, score groups, the outcome (conditions, direct paths, levels)
and cross-field validation rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.designer.forms.base import (
    RowFormSet,
    decimal_field,
    drop_empty,
    key_field,
    number,
    row_formset,
    text_field,
)

SCORE_METHOD_CHOICES = [
    ("option", _("按选项分值（单选/多选题）")),
    ("bands", _("按数值分档")),
    ("formula", _("按公式")),
    ("count", _("按数量（每项得分）")),
    ("max_of", _("取子项最高分（子项在 JSON 中编辑）")),
]


class ScoreItemForm(forms.Form):
    key = key_field()
    label = forms.CharField(label=_("名称"), max_length=300)
    method = forms.ChoiceField(label=_("计分方式"), choices=SCORE_METHOD_CHOICES)
    max = decimal_field(_("满分"), min_value=0)
    group = forms.ChoiceField(label=_("得分组"), required=False)
    field = forms.ChoiceField(label=_("字段（按选项分值、按数量）"), required=False)
    value = text_field(
        _("计量值（按数值分档：字段标识或公式，如 rd_spend / revenue * 100）"), max_length=1000
    )
    value_label = text_field(_("计量值名称（解释中显示）"), max_length=200)
    expression = text_field(_("得分公式（按公式）"), max_length=1000)
    per_item = decimal_field(_("每项得分（按数量）"))
    when = text_field(_("适用条件（表达式，可空）"), max_length=1000)
    help = text_field(_("说明"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        groups: list[tuple[str, str]] | None = None,
        fields: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["max"].required = True
        self.fields["group"].choices = [("", _("（不分组）"))] + [
            (k, f"{label}（{k}）") for k, label in groups or []
        ]
        self.fields["field"].choices = [("", "—")] + [
            (k, f"{label[:40]}（{k}）") for k, label in fields or []
        ]

    def to_json(self, original: dict[str, Any] | None, bands: list[dict[str, Any]]) -> dict[str, Any]:
        data = self.cleaned_data
        method = data["method"]
        item: dict[str, Any] = {
            "key": data["key"],
            "label": data["label"],
            "method": method,
            "max": number(data["max"]),
        }
        if data["group"]:
            item["group"] = data["group"]
        if method in ("option", "count") and data["field"]:
            item["field"] = data["field"]
        if method == "bands":
            item["value"] = data["value"]
            if data["value_label"]:
                item["value_label"] = data["value_label"]
            item["bands"] = bands
        if method == "formula":
            item["expression"] = data["expression"]
        if method == "count" and data["per_item"] is not None:
            item["per_item"] = number(data["per_item"])
        if method == "max_of":
            item["parts"] = (original or {}).get("parts") or []
        if data["when"]:
            item["when"] = data["when"]
        if data["help"]:
            item["help"] = data["help"]
        return item


class BandForm(forms.Form):
    min = decimal_field(_("下限"))
    min_inclusive = forms.BooleanField(label=_("含下限"), required=False)
    max = decimal_field(_("上限"))
    max_inclusive = forms.BooleanField(label=_("含上限"), required=False)
    points = decimal_field(_("得分"))
    label = text_field(_("档位名称"), max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_changed() and data.get("points") is None:
            self.add_error("points", _("请填写得分"))
        return data

    def to_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        band: dict[str, Any] = {}
        if data.get("min") is not None:
            band.update(min=number(data["min"]), min_inclusive=bool(data["min_inclusive"]))
        if data.get("max") is not None:
            band.update(max=number(data["max"]), max_inclusive=bool(data["max_inclusive"]))
        band["points"] = number(data["points"])
        if data.get("label"):
            band["label"] = data["label"]
        return band


class BandFormSet(RowFormSet):
    row_label = _("分档%(n)s")


BandFormSetFactory = forms.formset_factory(
    BandForm, formset=BandFormSet, extra=2, can_delete=True, can_order=True
)


class GroupForm(forms.Form):
    key = key_field()
    label = forms.CharField(label=_("名称"), max_length=200)
    max = decimal_field(_("组满分"))
    min = decimal_field(_("组最低分"))

    def to_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        return drop_empty(
            {
                "key": data["key"],
                "label": data["label"],
                "max": number(data.get("max")),
                "min": number(data.get("min")),
            }
        )


class ConditionForm(forms.Form):
    key = key_field()
    label = forms.CharField(label=_("名称"), max_length=300)
    expression = forms.CharField(label=_("条件（表达式）"), max_length=1000)

    def to_json(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("key", "label", "expression")}


class LevelForm(forms.Form):
    key = key_field()
    label = forms.CharField(label=_("等级名称"), max_length=100)
    min_total = decimal_field(_("总分门槛"))
    min_total_inclusive = forms.BooleanField(label=_("含门槛分"), required=False, initial=True)
    scenario_counts = text_field(
        _("场景数量要求（每行：最低场景等级,个数[,constraint|guidance]）"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = text_field(_("说明"), max_length=500)

    def clean_scenario_counts(self) -> list[dict[str, Any]]:
        counts = []
        for line in (self.cleaned_data["scenario_counts"] or "").splitlines():
            bits = [b.strip() for b in line.replace("，", ",").split(",") if b.strip()]
            if not bits:
                continue
            try:
                entry: dict[str, Any] = {"min_level": int(bits[0]), "count": int(bits[1])}
            except (IndexError, ValueError):
                raise forms.ValidationError(
                    _("每行写作“最低场景等级,个数”，如 4,10 或 4,6,constraint"), code="invalid"
                ) from None
            if len(bits) > 2:
                entry["scene_type"] = bits[2]
            counts.append(entry)
        return counts

    def to_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        level: dict[str, Any] = {"key": data["key"], "label": data["label"]}
        if data.get("min_total") is not None:
            level.update(
                min_total=number(data["min_total"]), min_total_inclusive=bool(data["min_total_inclusive"])
            )
        if data["scenario_counts"]:
            level["scenario_counts"] = data["scenario_counts"]
        if data.get("description"):
            level["description"] = data["description"]
        return level

    @staticmethod
    def initial_of(level: dict[str, Any]) -> dict[str, Any]:
        lines = [
            ",".join(
                str(v) for v in (c.get("min_level"), c.get("count"), c.get("scene_type")) if v is not None
            )
            for c in level.get("scenario_counts") or []
        ]
        return {
            **level,
            "scenario_counts": "\n".join(lines),
            "min_total_inclusive": level.get("min_total_inclusive", True),
        }


class ValidationRuleForm(forms.Form):
    key = key_field()
    check = forms.CharField(label=_("必须成立的条件"), max_length=1000)
    when = text_field(_("何时检查（可空）"), max_length=1000)
    fields = text_field(_("提示显示在字段（标识，逗号分隔）"), max_length=500)
    message = forms.CharField(label=_("不成立时的提示"), max_length=300)
    severity = forms.ChoiceField(
        label=_("类型"),
        required=False,
        choices=[("error", _("错误：不能提交")), ("warning", _("提醒：请核对，可以提交"))],
    )

    def to_json(self) -> dict[str, Any]:
        data = self.cleaned_data
        rule: dict[str, Any] = {"key": data["key"], "check": data["check"]}
        if data["when"]:
            rule["when"] = data["when"]
        rule["fields"] = [f.strip() for f in data["fields"].replace("，", ",").split(",") if f.strip()]
        rule["message"] = data["message"]
        if data.get("severity") == "warning":
            rule["severity"] = "warning"
        return rule

    @staticmethod
    def initial_of(rule: dict[str, Any]) -> dict[str, Any]:
        return {**rule, "fields": ", ".join(rule.get("fields") or [])}


GroupFormSetFactory = row_formset(GroupForm, _("得分组%(n)s"))
ConditionFormSetFactory = row_formset(ConditionForm, _("条件%(n)s"))
LevelFormSetFactory = row_formset(LevelForm, _("等级%(n)s"))
ValidationFormSetFactory = row_formset(ValidationRuleForm, _("规则%(n)s"))


class OutcomeForm(forms.Form):
    type = forms.ChoiceField(
        label=_("判定方式"),
        choices=[
            ("none", _("只计分，不判定")),
            ("qualification", _("是否符合条件")),
            ("levels", _("等级（如一级至四级）")),
        ],
    )
    max_total = decimal_field(_("满分（总分上限）"))
    min_total = decimal_field(_("总分门槛（是否符合：总分达到即走得分路径）"))
    use_group_minima = forms.BooleanField(label=_("同时检查各得分组最低分"), required=False)
    qualified_label = text_field(_("符合时结论"), max_length=200)
    not_qualified_label = text_field(_("不符合时结论"), max_length=200)
    none_label = text_field(_("未达到任何等级时结论"), max_length=200)
