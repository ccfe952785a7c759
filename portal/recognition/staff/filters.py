"""Filters of the 认定企业 register and of the filings ready for 公示."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from portal.core.scopes import region_prefix
from portal.filings.models import Filing
from portal.review.filters import _region_choices

from ..models import Level, Publicity, Recognition, RecognitionStatus


class RecognitionFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(label=_("认定级别"), choices=Level.choices)
    year = django_filters.NumberFilter(label=_("认定年度"), field_name="year")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=RecognitionStatus.choices, method="filter_status"
    )
    region = django_filters.ChoiceFilter(label=_("注册地"), method="filter_region")

    class Meta:
        model = Recognition
        fields = []

    def __init__(self, data=None, *args, scope=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["region"].extra["choices"] = _region_choices(scope)

    def filter_status(self, queryset, name, value):
        """By the status a person reads today: a valid recognition past its last day is 已到期."""
        today = timezone.localdate()
        if value == RecognitionStatus.VALID:
            return queryset.filter(status=RecognitionStatus.VALID, valid_until__gte=today)
        if value == RecognitionStatus.EXPIRED:
            return queryset.filter(
                Q(status=RecognitionStatus.EXPIRED) | Q(status=RecognitionStatus.VALID, valid_until__lt=today)
            )
        return queryset.filter(status=value) if value else queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_code__startswith=region_prefix(value)) if value else queryset


class ReadyFilingFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(label=_("申报级别"), choices=Level.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="window__year")
    region = django_filters.ChoiceFilter(label=_("注册地"), method="filter_region")

    class Meta:
        model = Filing
        fields = []

    def __init__(self, data=None, *args, scope=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["region"].extra["choices"] = _region_choices(scope)

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_code__startswith=region_prefix(value)) if value else queryset


class PublicityFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(label=_("认定级别"), choices=Level.choices)
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=Publicity.State.choices, method="filter_state"
    )

    class Meta:
        model = Publicity
        fields = []

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == Publicity.State.ENDED:
            return queryset.filter(state=Publicity.State.PUBLICISING, period_end__lt=today)
        if value == Publicity.State.PUBLICISING:
            return queryset.filter(state=value, period_end__gte=today)
        return queryset.filter(state=value) if value else queryset
