"""Issues, limits and the reading helpers every part of the parser uses."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from forms_engine.rules import (
    CONTEXT_PREFIX,
    FUNCTIONS,
    CompiledExpression,
    ExpressionError,
    check_expression,
    compile_expression,
)
from forms_engine.schema.nodes import Place

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Python keywords cannot be names in expressions; "total" is kept for future use by scoring.
RESERVED_KEYS = set(FUNCTIONS) | set(keyword.kwlist) | {"true", "false", "none", "total"}

# Size limits of one schema: far above any real questionnaire (the largest shipped one has 47
# fields), low enough that a hostile import cannot make every page that parses it slow.
MAX_DEPTH = 32  # nesting of JSON objects and lists
MAX_NODES = 100_000  # JSON values in the whole schema
MAX_STEPS = 50
MAX_SECTIONS = 50  # per step
MAX_FIELDS = 1000  # in the whole schema, table columns included
MAX_OPTIONS = 200  # per choice field
MAX_ITEMS = 500  # score items, validations, conditions, levels, bands, groups: each
MAX_TEXT = 5000  # characters of one label, help or description
MAX_NUMBER = Decimal(10) ** 15


@dataclass(frozen=True)
class SchemaIssue:
    code: str
    message: str
    place: Place

    def __str__(self) -> str:
        return f"{self.place}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "place": self.place.as_dict(),
            "where": str(self.place),
        }


class SchemaValidationError(ValueError):
    """The schema has problems; ``issues`` lists every one of them."""

    def __init__(self, issues: list[SchemaIssue]):
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues[:20]) + (" …" if len(issues) > 20 else ""))


def size_problem(raw: Any) -> SchemaIssue | None:
    """An issue when ``raw`` is nested deeper than MAX_DEPTH or has more than MAX_NODES values.

    Iterative, so a hostile document cannot exhaust the stack; stops at the first excess.
    """
    stack: list[tuple[Any, int]] = [(raw, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            return SchemaIssue(
                "schema_too_large", f"表单定义过大（超过 {MAX_NODES:,} 个数据项），请拆分或精简", Place()
            )
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth >= MAX_DEPTH and children:
            return SchemaIssue("schema_too_deep", f"表单定义嵌套过深（超过 {MAX_DEPTH} 层）", Place())
        stack.extend((child, depth + 1) for child in children)
    return None


class BaseParser:
    """Reading helpers: each reports problems as issues and returns a safe default."""

    def __init__(self) -> None:
        self.issues: list[SchemaIssue] = []
        self.field_keys: list[str] = []
        self.field_count = 0
        self.deferred: list[Callable[[], None]] = []  # name checks run once every key is known

    def issue(self, code: str, message: str, place: Place) -> None:
        self.issues.append(SchemaIssue(code, message, place))

    def obj(self, raw: Any, place: Place, what: str) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.issue("invalid_type", f"{what}必须是对象", place)
            return None
        return raw

    def items(
        self, raw: dict, name: str, place: Place, *, required: bool = False, limit: int = MAX_ITEMS
    ) -> list:
        value = raw.get(name)
        if value is None:
            if required:
                self.issue("missing", f"缺少 {name}", place)
            return []
        if not isinstance(value, list):
            self.issue("invalid_type", f"{name} 必须是列表", place)
            return []
        if len(value) > limit:
            self.issue("too_many", f"{name} 最多 {limit} 项（现有 {len(value)} 项）", place)
            return value[:limit]
        return value

    def text(
        self,
        raw: dict,
        name: str,
        place: Place,
        *,
        required: bool = False,
        default: str = "",
        limit: int = MAX_TEXT,
    ) -> str:
        value = raw.get(name)
        if value is None or value == "":
            if required:
                self.issue("missing", f"缺少 {name}", place)
            return default
        if not isinstance(value, str):
            self.issue("invalid_type", f"{name} 必须是文本", place)
            return default
        if len(value) > limit:
            self.issue("too_long", f"{name} 最多 {limit} 个字符", place)
            return value[:limit]
        return value

    def boolean(self, raw: dict, name: str, place: Place, default: bool = False) -> bool:
        value = raw.get(name, default)
        if not isinstance(value, bool):
            self.issue("invalid_type", f"{name} 必须是 true 或 false", place)
            return default
        return value

    def number(self, raw: dict, name: str, place: Place, *, required: bool = False) -> Decimal | None:
        value = raw.get(name)
        if value is None:
            if required:
                self.issue("missing", f"缺少 {name}", place)
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, str))
            or (isinstance(value, str) and len(value) > 40)
        ):
            self.issue("invalid_number", f"{name} 必须是数字", place)
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.issue("invalid_number", f"{name} 必须是数字", place)
            return None
        if not number.is_finite() or abs(number) >= MAX_NUMBER:
            self.issue("invalid_number", f"{name} 必须是绝对值小于 10^15 的数字", place)
            return None
        return number

    def integer(
        self,
        raw: dict,
        name: str,
        place: Place,
        default: int | None = None,
        *,
        minimum: int = 0,
        maximum: int = 10**6,
    ) -> int | None:
        value = raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.issue("invalid_number", f"{name} 必须是 {minimum}–{maximum} 之间的整数", place)
            return default
        return value

    def key(self, raw: dict, place: Place, seen: set[str], what: str) -> str:
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            self.issue("missing", f"{what}缺少 key", place)
            return ""
        if not KEY_RE.match(key) or key in RESERVED_KEYS or key.startswith(CONTEXT_PREFIX):
            self.issue(
                "invalid_key",
                f"key “{key[:64]}” 只能由小写字母、数字和下划线组成，以字母开头，且不能是保留字",
                place,
            )
        if key in seen:
            self.issue("duplicate_key", f"key “{key}” 重复", place)
        seen.add(key)
        return key

    def unknown_attrs(self, raw: dict, allowed: Iterable[str], place: Place) -> None:
        for name in sorted(set(raw) - set(allowed))[:20]:
            self.issue("unknown_attribute", f"未知属性 {str(name)[:64]}", place)

    def expression(
        self, source: Any, place: Place, *, names: Callable[[], Iterable[str]] | None = None
    ) -> CompiledExpression | None:
        """Compile now; check names later (once every field key is known)."""
        if not isinstance(source, str):
            self.issue("invalid_type", "表达式必须是文本", place)
            return None
        try:
            compiled = compile_expression(source)
        except ExpressionError as exc:
            self.issue(f"expression_{exc.code}", exc.message, place)
            return None

        def check_names() -> None:
            known = names() if names else self.field_keys
            try:
                check_expression(source, known)
            except ExpressionError as exc:
                self.issue(f"expression_{exc.code}", exc.message, place)

        self.deferred.append(check_names)
        return compiled
