"""Forms of the review page: 通过, 退回 (with notes anchored to fields and the evidence), 不通过,
a verified score, and 批量通过."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.core.scopes import ALL_REGIONS
from portal.filings.models import ReturnNote
from portal.filings.states import ReviewLevel
from portal.reference.models import Region

NOTE_ROWS = 5
COMMENT_MAX = 2000


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ReviewForm(forms.Form):
    """The review page's forms: labels without Django's ASCII “:” suffix (the page is Chinese)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PassForm(ReviewForm):
    comment = forms.CharField(
        label=_("审核意见（可选）"), required=False, max_length=COMMENT_MAX, widget=_textarea(2)
    )


class RejectForm(ReviewForm):
    comment = forms.CharField(label=_("不通过理由"), max_length=COMMENT_MAX, widget=_textarea())


class ReturnForm(ReviewForm):
    """退回: the reason, up to NOTE_ROWS notes each on one question, and a note on the evidence."""

    comment = forms.CharField(label=_("退回理由"), max_length=COMMENT_MAX, widget=_textarea())
    evidence_comment = forms.CharField(
        label=_("对“其他材料”的意见（可选）"), required=False, max_length=COMMENT_MAX, widget=_textarea(2)
    )

    def __init__(self, *args, fields: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("（选择填报项）"))] + [(key, label) for key, label in fields]
        for i in range(1, NOTE_ROWS + 1):
            self.fields[f"flag_field_{i}"] = forms.ChoiceField(
                label=_("标注填报项 %(n)s") % {"n": i}, choices=choices, required=False
            )
            self.fields[f"flag_comment_{i}"] = forms.CharField(
                label=_("该项的修改意见"), required=False, max_length=COMMENT_MAX, widget=_textarea(2)
            )

    def clean(self):
        cleaned = super().clean()
        for i in range(1, NOTE_ROWS + 1):
            key, comment = cleaned.get(f"flag_field_{i}"), (cleaned.get(f"flag_comment_{i}") or "").strip()
            if key and not comment:
                self.add_error(
                    f"flag_comment_{i}", ValidationError(_("请填写该项的修改意见。"), code="note_required")
                )
            if comment and not key:
                self.add_error(
                    f"flag_field_{i}", ValidationError(_("请选择意见所指的填报项。"), code="field_required")
                )
        return cleaned

    def note_rows(self):
        return [(self[f"flag_field_{i}"], self[f"flag_comment_{i}"]) for i in range(1, NOTE_ROWS + 1)]

    def notes(self) -> list[dict[str, str]]:
        notes = []
        for i in range(1, NOTE_ROWS + 1):
            key = self.cleaned_data.get(f"flag_field_{i}")
            comment = (self.cleaned_data.get(f"flag_comment_{i}") or "").strip()
            if key and comment:
                notes.append({"kind": ReturnNote.Kind.FIELD, "field_key": key, "comment": comment})
        evidence = (self.cleaned_data.get("evidence_comment") or "").strip()
        if evidence:
            notes.append({"kind": ReturnNote.Kind.EVIDENCE, "comment": evidence})
        return notes


class AdjustScoreForm(ReviewForm):
    item = forms.ChoiceField(label=_("评价指标"))
    points = forms.DecimalField(label=_("核定得分"), min_value=Decimal(0), max_digits=8, decimal_places=2)
    reason = forms.CharField(label=_("核定理由"), max_length=COMMENT_MAX, widget=_textarea(2))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("（选择指标）"))] + [
            (item.key, f"{item.label}（自评 {item.self_points} / {item.max_points} 分）") for item in items
        ]


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        try:
            return sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise ValidationError(_("所选申报不正确。"), code="invalid_ids") from None


class BatchPassForm(forms.Form):
    ids = IdListField(label=_("所选申报"))
    comment = forms.CharField(label=_("审核意见（可选）"), required=False, max_length=COMMENT_MAX)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            data.setlist("ids", data.getlist("id"))
        super().__init__(data, *args, **kwargs)


class ReviewerScopeAdminForm(WagtailAdminModelForm):
    """A 省级管理员 assigns scopes inside their province (no 部级); a superuser anywhere."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        from .selectors import managed_province

        self.scope = managed_province(for_user) if for_user is not None else ""
        users = get_user_model().objects.filter(is_staff=True).order_by("username")
        self.fields["user"].label_from_instance = lambda user: user.get_username()
        regions = Region.objects.order_by("code")
        if self.scope is not ALL_REGIONS:
            prefix = (self.scope or "")[:2]
            regions = regions.filter(code__startswith=prefix) if prefix else regions.none()
            # staff of this province, or not yet of any: another province's reviewers are neither
            # listed nor taken
            users = (
                users.filter(
                    Q(reviewer_scope__isnull=True) | Q(reviewer_scope__region__code__startswith=prefix)
                )
                if prefix
                else users.none()
            )
            self.fields["level"].choices = [
                (value, label)
                for value, label in self.fields["level"].choices
                if value != ReviewLevel.MINISTRY
            ]
        self.fields["region"].queryset = regions
        self.fields["user"].queryset = users

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None and user.is_superuser and self.scope is not ALL_REGIONS:
            raise ValidationError(_("不能为超级管理员设置审核范围。"), code="superuser")
        return user
