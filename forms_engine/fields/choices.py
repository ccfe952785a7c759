"""Choices: ``single_choice`` (radio buttons or a list), ``multiple_choice``, and ``yes_no``.

Options carry a stored ``value``, the ``label`` people read, an optional ``score`` and, in a
multiple choice, ``exclusive`` (e.g. 无, which cannot be combined with other options).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.fields import field_types
from forms_engine.fields.base import AnswerError, FieldType


def parse_options(parser, raw, place) -> tuple:
    from forms_engine.schema.nodes import Option, Place

    options_raw = parser.items(raw, "options", place, required=True)
    if raw.get("options") is not None and not options_raw:
        parser.issue("empty", "选择题至少需要一个选项", place)
    options, seen = [], set()
    for i, option_raw in enumerate(options_raw):
        oplace = Place(**{**place.as_dict(), "part": f"options[{i}]"})
        option_raw = parser.obj(option_raw, oplace, "选项")
        if option_raw is None:
            continue
        parser.unknown_attrs(option_raw, {"value", "label", "score", "help", "exclusive"}, oplace)
        value = option_raw.get("value")
        if not isinstance(value, str) or not value:
            parser.issue("missing", "选项缺少 value（文本）", oplace)
            continue
        if value in seen:
            parser.issue("duplicate_option", f"选项值 “{value}” 重复", oplace)
        seen.add(value)
        options.append(
            Option(
                value=value,
                label=parser.text(option_raw, "label", oplace, required=True),
                score=parser.number(option_raw, "score", oplace),
                help=parser.text(option_raw, "help", oplace),
                exclusive=parser.boolean(option_raw, "exclusive", oplace),
            )
        )
    return tuple(options)


def _choices(field) -> list[tuple[str, str]]:
    return [(o.value, o.label) for o in field.options]


def _unknown(values: list[str]) -> AnswerError:
    shown = "、".join(f"“{v[:20]}”" for v in values[:3])
    return AnswerError("invalid_choice", f"请选择列表中的选项（{shown}不是本题的选项）")


@field_types.register
class SingleChoiceType(FieldType):
    name = "single_choice"
    label = "单选"
    order = 40
    attributes = frozenset({"options", "widget", "scenario"})
    attribute_labels = {"options": "选项", "widget": "控件", "scenario": "场景"}
    designer_inputs = ("widget",)
    choice = True
    column = True

    def parse(self, parser, raw, place):
        attrs: dict[str, Any] = {"options": parse_options(parser, raw, place)}
        attrs["widget"] = raw.get("widget", "radio")
        if attrs["widget"] not in ("radio", "select"):
            parser.issue("invalid_widget", "widget 只能是 radio 或 select", place)
        if raw.get("scenario") is not None:
            attrs["scenario"] = self.scenario(parser, raw["scenario"], attrs["options"], place)
        return attrs

    @staticmethod
    def scenario(parser, raw, options, place) -> dict[str, str] | None:
        raw = parser.obj(raw, place, "scenario")
        if raw is None:
            return None
        parser.unknown_attrs(raw, {"scene_type", "group"}, place)
        scene_type = raw.get("scene_type", "guidance")
        if scene_type not in ("constraint", "guidance"):
            parser.issue(
                "invalid_scenario", "scene_type 只能是 constraint（约束性）或 guidance（指导性）", place
            )
        for option in options:
            if not option.value.isdigit():
                parser.issue("invalid_scenario", '场景选项的 value 必须是等级数字，如 "1"…"4"', place)
                break
        return {"scene_type": scene_type, "group": str(raw.get("group", ""))}

    def coerce(self, field, raw):
        if isinstance(raw, (list, dict)):
            raise AnswerError("invalid_choice", "请选择列表中的选项")
        value = str(raw)
        if field.option(value) is None:
            raise _unknown([value])
        return value

    def coercer(self, field):
        slow, values = super().coercer(field), frozenset(o.value for o in field.options)

        def coerce_choice(raw):
            return raw if raw.__class__ is str and raw in values else slow(raw)

        return coerce_choice

    def display(self, field, value):
        option = field.option(value)
        return option.label if option is not None else str(value)

    def widget(self, field):
        if field.widget == "select":
            return forms.Select(choices=[("", _("请选择"))] + _choices(field))
        return forms.RadioSelect(choices=_choices(field))


@field_types.register
class MultipleChoiceType(FieldType):
    name = "multiple_choice"
    label = "多选"
    order = 41
    attributes = frozenset({"options", "min_selected", "max_selected"})
    attribute_labels = {"options": "选项", "min_selected": "最少选择", "max_selected": "最多选择"}
    designer_inputs = ("min_selected", "max_selected")
    choice = True
    countable = True

    def parse(self, parser, raw, place):
        attrs: dict[str, Any] = {
            "options": parse_options(parser, raw, place),
            "min_selected": parser.integer(raw, "min_selected", place),
            "max_selected": parser.integer(raw, "max_selected", place),
        }
        if attrs["min_selected"] and attrs["max_selected"] and attrs["min_selected"] > attrs["max_selected"]:
            parser.issue("invalid_bounds", "min_selected 不能大于 max_selected", place)
        return attrs

    def coerce(self, field, raw):
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, (list, tuple)) or len(raw) > max(len(field.options), 1) * 2:
            raise AnswerError("invalid_choice", "请选择列表中的选项")
        chosen = {v if isinstance(v, str) else str(v) for v in raw}
        unknown = sorted(v for v in chosen if field.option(v) is None)
        if unknown:
            raise _unknown(unknown)
        exclusive = [o for o in field.options if o.exclusive and o.value in chosen]
        if exclusive and len(chosen) > 1:
            raise AnswerError("exclusive_choice", f"选择“{exclusive[0].label}”时不能同时选择其他选项")
        if field.min_selected and len(chosen) < field.min_selected:
            raise AnswerError("min_selected", f"至少选择 {field.min_selected} 项")
        if field.max_selected and len(chosen) > field.max_selected:
            raise AnswerError("max_selected", f"最多选择 {field.max_selected} 项")
        return [o.value for o in field.options if o.value in chosen]

    def coercer(self, field):
        slow, order = super().coercer(field), tuple(o.value for o in field.options)
        values, most = frozenset(order), max(len(order), 1) * 2  # the same limit as coerce()
        simple = (
            not any(o.exclusive for o in field.options) and not field.min_selected and not field.max_selected
        )

        def coerce_choices(raw):
            if simple and raw.__class__ is list and 0 < len(raw) <= most:
                try:
                    chosen = set(raw)
                except TypeError:  # a list or an object among the values: refused by coerce()
                    return slow(raw)
                if chosen <= values:  # only option values (text): nothing else equals them
                    return [v for v in order if v in chosen]
            return slow(raw)

        return coerce_choices

    def display(self, field, value):
        labels = [(field.option(v).label if field.option(v) else str(v)) for v in value]
        return "、".join(labels) if labels else "（未选）"

    def widget(self, field):
        return forms.CheckboxSelectMultiple(choices=_choices(field))


@field_types.register
class YesNoType(FieldType):
    name = "yes_no"
    label = "是/否"
    order = 42
    column = True
    TRUE = frozenset({"true", "yes", "1", "是", "on"})
    FALSE = frozenset({"false", "no", "0", "否", "off"})

    def coerce(self, field, raw):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, (list, dict)):
            raise AnswerError("invalid", "请选择“是”或“否”")
        text = str(raw).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise AnswerError("invalid", "请选择“是”或“否”")

    def coercer(self, field):
        slow = super().coercer(field)

        def coerce_yes_no(raw):
            return raw if raw is True or raw is False else slow(raw)

        return coerce_yes_no

    def display(self, field, value):
        return "是" if value else "否"

    def widget(self, field):
        return forms.RadioSelect(choices=[("true", _("是")), ("false", _("否"))])

    def initial(self, field, value):
        return "true" if value else "false"
