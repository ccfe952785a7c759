"""Widgets: the cascading province → prefecture → county picker."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .selectors import RegionNotFoundError, get_region_path_codes, list_region_children

PLACEHOLDERS = (_("请选择省份"), _("请选择城市"), _("请选择区县"))


def consistent_path(codes: list[str]) -> list[str]:
    """Drop a lower choice that does not lie inside the choice above it.

    Without JavaScript a user can change the province while an old city is still selected; the
    stale city (and county) must not win. Codes of a child always start with the parent's prefix
    (2 digits for a province, 4 for a prefecture).
    """
    path: list[str] = []
    for depth, code in enumerate(codes):
        code = (code or "").strip()
        if not code:
            break
        if depth and not code.startswith(path[-1][: 2 * depth]):
            break
        path.append(code)
    return path


class RegionPickerWidget(forms.MultiWidget):
    """Three ``<select>``s; the value is a single code, the deepest level chosen.

    The server renders every list needed for the chosen path, so the widget works without
    JavaScript after a re-render; ``static/reference/js/region-picker.js`` fills the next list
    on change from the children endpoint.
    """

    template_name = "reference/widgets/region_picker.html"

    class Media:
        js = ["reference/js/region-picker.js"]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.Select, forms.Select, forms.Select], attrs)

    def use_required_attribute(self, initial) -> bool:
        # Without JavaScript the lower lists start empty; a browser-enforced "required" on them
        # would block the re-render that fills them. The field validates on the server.
        return False

    def decompress(self, value: str | None) -> list[str]:
        codes = [code for code, _name, _level in get_region_path_codes(value)] if value else []
        return (codes + ["", "", ""])[:3]

    def value_from_datadict(self, data, files, name) -> str:
        codes = [data.get(f"{name}_{index}", "") for index in range(3)]
        path = consistent_path(codes)
        return path[-1] if path else ""

    def value_omitted_from_data(self, data, files, name) -> bool:
        return all(f"{name}_{index}" not in data for index in range(3))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        codes = value if isinstance(value, list) else self.decompress(value)
        parents: list[str | None] = [None, codes[0] or None, codes[1] or None]
        for index, (widget, parent) in enumerate(zip(self.widgets, parents, strict=True)):
            options: list[tuple[str, str]] = []
            if index == 0 or parent:
                try:
                    options = [(o.code, o.name) for o in list_region_children(parent)]
                except RegionNotFoundError:
                    options = []
            widget.choices = [("", PLACEHOLDERS[index]), *options]
            widget.attrs.update({"data-region-level": str(index), "aria-label": str(PLACEHOLDERS[index])})
        context = super().get_context(name, codes, attrs)
        # crispy-forms marks an invalid field on the sub-widgets (the selects); the wrapper needs it too
        context["widget"]["invalid"] = any(
            "is-invalid" in sub["attrs"].get("class", "") for sub in context["widget"]["subwidgets"]
        )
        try:
            context["widget"]["children_url"] = reverse("reference:region-children")
        except NoReverseMatch:
            context["widget"]["children_url"] = ""  # endpoint not mounted: server-side only
        return context
