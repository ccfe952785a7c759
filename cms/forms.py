"""The notice-listing filter form (GET), rendered with crispy-forms."""

from __future__ import annotations

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import NoticeLevel
from cms.regions import PROVINCES
from cms.selectors import NoticeFilters


class NoticeFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("级别"),
        required=False,
        choices=[("", _("全部级别"))] + list(NoticeLevel.choices),
        error_messages={"invalid_choice": _("级别“%(value)s”无效，请从列表中选择。")},
    )
    province = forms.ChoiceField(
        label=_("省份"),
        required=False,
        choices=[("", _("全部省份"))] + list(PROVINCES),
        error_messages={"invalid_choice": _("省份“%(value)s”无效，请从列表中选择。")},
    )
    date_from = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请输入有效的日期，格式如 2026-01-31。")},
    )
    date_to = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请输入有效的日期，格式如 2026-01-31。")},
    )
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=100,
        strip=True,
        error_messages={"max_length": _("关键词不能超过 %(limit_value)d 个字符。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_from"].input_formats = ["%Y-%m-%d"]
        self.fields["date_to"].input_formats = ["%Y-%m-%d"]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("标题或正文关键词")})
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "notice-filter"
        self.helper.attrs = {"role": "search", "aria-label": _("公告查询")}
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("level", css_class="col-12 col-sm-6 col-lg-2"),
                Column("province", css_class="col-12 col-sm-6 col-lg-2"),
                Column("date_from", css_class="col-6 col-lg-2"),
                Column("date_to", css_class="col-6 col-lg-2"),
                Column("q", css_class="col-12 col-lg-4"),
            ),
            Row(
                Column(
                    StrictButton(_("查询"), type="submit", css_class="btn-primary me-2"),
                    HTML('<a class="btn btn-outline-secondary" href="?">{}</a>'.format(_("重置"))),
                    css_class="col-12",
                )
            ),
        )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to",
                forms.ValidationError(
                    _("日期范围颠倒：开始日期 %(start)s 晚于结束日期 %(end)s，请调换两个日期。"),
                    code="date_order",
                    params={"start": date_from.isoformat(), "end": date_to.isoformat()},
                ),
            )
        level, province = cleaned.get("level"), cleaned.get("province")
        if level == NoticeLevel.MINISTRY and province:
            self.add_error(
                "province",
                forms.ValidationError(
                    _("部级公告不区分省份，请清除省份或选择省级公告。"), code="province_with_ministry"
                ),
            )
        return cleaned

    def filters(self) -> NoticeFilters:
        """Filters from the valid fields only, so one bad value never breaks the page."""
        if not self.is_bound:
            return NoticeFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        if self.has_error("date_to", "date_order"):
            data.pop("date_from", None)  # a reversed range filters by neither end (the page says why)
        return NoticeFilters(
            level=data.get("level") or "",
            province=data.get("province") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
        )
