"""Forms of the other designer pages: metadata, new draft, JSON import, approval comments,
publishing, test-score and diff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.designer.forms.base import parse_json_object, text_field


class MetadataForm(forms.Form):
    title = forms.CharField(label=_("表单标题"), max_length=200)
    description = text_field(_("表单说明"), widget=forms.Textarea(attrs={"rows": 3}))
    policy_basis = text_field(_("政策依据"), max_length=300)
    change_note = text_field(_("变更说明"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_date = forms.DateField(
        label=_("计划生效日期（发布时可改）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    provisional = forms.BooleanField(label=_("暂行（待官方版本替换）"), required=False)
    notes = text_field(_("备注（每行一条）"), widget=forms.Textarea(attrs={"rows": 4}))
    extra = text_field(_("其他元数据（JSON 对象，高级）"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_extra(self) -> dict[str, Any]:
        value = self.cleaned_data["extra"].strip()
        if not value:
            return {}
        return parse_json_object(value)

    def metadata(self) -> dict[str, Any]:
        data = self.cleaned_data
        metadata = dict(data["extra"])
        metadata["provisional"] = data["provisional"]
        notes = [line.strip() for line in data["notes"].splitlines() if line.strip()]
        if notes:
            metadata["notes"] = notes
        else:
            metadata.pop("notes", None)
        if data["policy_basis"]:
            metadata["policy_basis"] = data["policy_basis"]
        return metadata


class NewDraftForm(forms.Form):
    change_note = text_field(_("变更说明"), max_length=1000)


class SchemaJsonForm(forms.Form):
    schema = forms.CharField(
        label=_("表单结构（JSON）"), widget=forms.Textarea(attrs={"rows": 24, "class": "w-font-mono"})
    )

    def clean_schema(self) -> dict[str, Any]:
        parsed = parse_json_object(self.cleaned_data["schema"])
        version = parsed.get("version")
        if isinstance(version, dict) and "schema" in version:  # a whole ``forms export`` document
            parsed = version["schema"]
            if not isinstance(parsed, dict):
                raise forms.ValidationError(_("必须是 JSON 对象"), code="invalid")
        return parsed


class CommentForm(forms.Form):
    comment = text_field(_("意见"), widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    effective_date = forms.DateField(
        label=_("生效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则为今天。"),
    )


class TestScoreForm(forms.Form):
    submission = forms.TypedChoiceField(
        label=_("取用已提交的答案"), required=False, coerce=int, empty_value=None
    )
    answers = text_field(
        _("答案（JSON 对象：字段标识 → 答案）"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "w-font-mono"}),
    )
    province = text_field(_("上下文：所在省份代码（ctx_province，可空）"), max_length=6)

    def __init__(self, *args: Any, submissions: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [("", "—")] + list(submissions or [])

    def clean_answers(self) -> dict[str, Any]:
        value = self.cleaned_data["answers"].strip()
        if not value:
            return {}
        return parse_json_object(value, limit=200_000)


class DiffForm(forms.Form):
    a = forms.TypedChoiceField(label=_("旧版本"), coerce=int)
    b = forms.TypedChoiceField(label=_("新版本"), coerce=int)

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["a"].choices = versions
        self.fields["b"].choices = versions
