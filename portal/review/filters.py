"""Filters of the review queue: what to see (待我审核 / 全部), state, level, the window (year and
batch), region inside the reviewer's scope, and a score range."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from portal.core.scopes import region_prefix
from portal.filings.models import Filing, FilingLevel
from portal.filings.states import State
from portal.reference.models import Region

TODO, ALL = "todo", "all"


def _region_choices(scope) -> list[tuple[str, str]]:
    """The regions one level below the scope's (a province's prefectures, a prefecture's counties)."""
    if scope is None:
        return []
    if not scope.prefix:
        rows = Region.objects.filter(level=Region.Level.PROVINCE)
    elif len(scope.prefix) == 2:
        rows = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith=scope.prefix)
    elif len(scope.prefix) == 4:
        rows = Region.objects.filter(level=Region.Level.COUNTY, code__startswith=scope.prefix)
    else:
        return []
    return list(rows.order_by("code").values_list("code", "name"))


class FilingReviewFilterSet(WagtailFilterSet):
    view = django_filters.ChoiceFilter(
        label=_("查看范围"),
        choices=[(TODO, _("待我审核")), (ALL, _("全部（已到达本级的申报）"))],
        empty_label=None,
        method="filter_view",
    )
    state = django_filters.ChoiceFilter(label=_("状态"), choices=State.choices)
    level = django_filters.ChoiceFilter(label=_("申报级别"), choices=FilingLevel.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="window__year")
    batch = django_filters.NumberFilter(label=_("批次（第几批）"), field_name="window__batch")
    region = django_filters.ChoiceFilter(label=_("注册地"), method="filter_region")
    score_min = django_filters.NumberFilter(
        label=_("自评得分不低于"), field_name="self_score", lookup_expr="gte"
    )
    score_max = django_filters.NumberFilter(
        label=_("自评得分不高于"), field_name="self_score", lookup_expr="lte"
    )

    class Meta:
        model = Filing
        fields = []

    def __init__(self, data=None, *args, scope=None, **kwargs):
        self.scope = scope
        if data is not None and not data.get("view"):
            data = data.copy()
            data["view"] = TODO if not data.get("state") else ALL
        super().__init__(data, *args, **kwargs)
        self.filters["region"].extra["choices"] = _region_choices(scope)
        self.form.fields["view"].widget = forms.RadioSelect(choices=self.form.fields["view"].choices)

    def filter_view(self, queryset, name, value):
        if value == TODO:
            queryset = queryset.filter(state=State.PENDING)
            if self.scope is not None and self.scope.level:
                queryset = queryset.filter(current_level=self.scope.level)
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_code__startswith=region_prefix(value)) if value else queryset
