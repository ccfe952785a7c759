"""Text answers: ``text`` (one line, optional pattern) and ``textarea``.

Patterns are regular expressions run by RE2 (google-re2), which matches in time linear in the
text: a pattern such as ``(a+)+$`` cannot take exponential time. Patterns RE2 cannot run
(back-references, look-around) are refused when the schema is saved. A pattern that is only a
sequence of fixed-count atoms (``[0-9A-HJ-NPQRTUWXY]{2}\\d{6}…``, ``\\d{10}``) has no choice point
at all, so Python's ``re`` (ASCII classes, as RE2) matches it in one pass too, twenty times
faster than the RE2 binding; every other pattern is matched by RE2.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import re2
from django import forms

from forms_engine.fields import field_types
from forms_engine.fields.base import AnswerError, FieldType

MAX_PATTERN_LENGTH = 500
MAX_TEXT_LENGTH = 100_000
# NUL cannot be stored (PostgreSQL text/JSON refuse it) and other C0 controls are never typed on
# purpose; line breaks and tabs are kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OPTIONS = re2.Options()
_OPTIONS.max_mem = 1 << 20  # a pattern needing more than 1 MB of automaton is refused
_OPTIONS.log_errors = False  # refusals are reported as schema issues, not logged by RE2


# one atom — a literal, an escape, "." or a character class — with at most an exact count {n}
_ATOM = r"(?:\\[^\n]|\[(?:\\.|[^\]\\])+\]|[^\\\[\](){}*+?|^$])(?:\{\d{1,3}\})?"
_FIXED_SEQUENCE = re.compile(rf"(?:{_ATOM})+")


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> Any:
    """A compiled field pattern with ``fullmatch``; re2.error if RE2 cannot run it."""
    program = re2.compile(pattern, options=_OPTIONS)  # RE2 decides what is a valid pattern
    if _FIXED_SEQUENCE.fullmatch(pattern):
        try:
            return re.compile(pattern, re.ASCII)
        except re.error:  # an escape only RE2 knows (\z, \pN, \x{41}): RE2 runs it
            pass
    return program


@field_types.register
class TextType(FieldType):
    name = "text"
    label = "单行文本"
    order = 10
    attributes = frozenset({"min_length", "max_length", "pattern", "pattern_message"})
    attribute_labels = {
        "min_length": "最少字数",
        "max_length": "最多字数",
        "pattern": "格式（正则）",
        "pattern_message": "格式提示",
    }
    designer_inputs = ("min_length", "max_length", "pattern", "pattern_message")
    column = True
    free_text = True
    default_max_length = 200

    def parse(self, parser, raw, place):
        attrs: dict[str, Any] = {
            "min_length": parser.integer(raw, "min_length", place),
            "max_length": parser.integer(
                raw, "max_length", place, self.default_max_length, minimum=1, maximum=100_000
            ),
        }
        if attrs["min_length"] and attrs["max_length"] and attrs["min_length"] > attrs["max_length"]:
            parser.issue("invalid_bounds", "min_length 不能大于 max_length", place)
        pattern = parser.text(raw, "pattern", place) or None
        if pattern and "pattern" in self.attributes:
            attrs["pattern"] = pattern
            attrs["pattern_message"] = parser.text(raw, "pattern_message", place)
            if len(pattern) > MAX_PATTERN_LENGTH:
                parser.issue("invalid_pattern", f"正则表达式过长（最多 {MAX_PATTERN_LENGTH} 个字符）", place)
            else:
                try:
                    compile_pattern(pattern)
                except re2.error:
                    parser.issue(
                        "invalid_pattern",
                        "正则表达式无效或不受支持（不能使用反向引用、前后断言，且不能过于复杂）",
                        place,
                    )
        return attrs

    def coerce(self, field, raw):
        if not isinstance(raw, str):
            if isinstance(raw, (list, dict)):
                raise AnswerError("invalid", "请输入文字")
            raw = str(raw)
        value = raw.strip()
        if not value.isprintable() and CONTROL_CHARACTERS.search(value):
            raise AnswerError("invalid_character", "含有无法保存的控制字符，请删除后重新填写")
        if field.max_length is not None and len(value) > field.max_length:
            raise AnswerError("max_length", f"最多 {field.max_length} 个字")
        if field.min_length is not None and len(value) < field.min_length:
            raise AnswerError("min_length", f"至少 {field.min_length} 个字")
        if field.pattern and not compile_pattern(field.pattern).fullmatch(value):
            raise AnswerError("pattern", field.pattern_message or "格式不正确")
        return value

    def coercer(self, field):
        slow, pattern = super().coercer(field), compile_pattern(field.pattern) if field.pattern else None
        low, high = field.min_length or 0, field.max_length or MAX_TEXT_LENGTH

        def coerce_text(raw):
            if raw.__class__ is str:
                value = raw.strip()
                if (
                    value
                    and value.isprintable()
                    and low <= len(value) <= high
                    and (pattern is None or pattern.fullmatch(value))
                ):
                    return value
            return slow(raw)

        return coerce_text

    def widget(self, field):
        return forms.TextInput(attrs={"maxlength": field.max_length} if field.max_length else {})


@field_types.register
class TextareaType(TextType):
    name = "textarea"
    label = "多行文本"
    order = 11
    attributes = frozenset({"min_length", "max_length"})
    designer_inputs = ("min_length", "max_length")
    column = False
    default_max_length = 5000

    def widget(self, field):
        return forms.Textarea(attrs={"rows": 4, "maxlength": field.max_length})
