"""Pure edits of a schema's JSON (a deep copy is changed and returned; nothing is stored).

Steps, sections and fields are addressed by their keys (unique in their kind across a schema);
score items by their key. Every function raises :class:`EditError` when the target is missing.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

KINDS = {"step": "steps", "section": "sections", "field": "fields"}


class EditError(LookupError):
    """The step, section, field or item to edit does not exist."""


def _containers(schema: dict[str, Any], kind: str) -> list[tuple[list, dict | None]]:
    """Every list that holds objects of ``kind`` with its parent."""
    steps = schema.setdefault("steps", [])
    if kind == "step":
        return [(steps, None)]
    sections = [(step.setdefault("sections", []), step) for step in steps]
    if kind == "section":
        return sections
    return [(section.setdefault("fields", []), section) for container, _ in sections for section in container]


def locate(schema: dict[str, Any], kind: str, key: str) -> tuple[list, int, dict | None]:
    """(the list holding it, its index, its parent object) for a step, section or field."""
    for container, parent in _containers(schema, kind):
        for index, obj in enumerate(container):
            if isinstance(obj, dict) and obj.get("key") == key:
                return container, index, parent
    raise EditError(f"{kind} {key} 不存在")


def get(schema: Mapping[str, Any], kind: str, key: str) -> dict[str, Any]:
    container, index, _parent = locate(copy.deepcopy(dict(schema)), kind, key)
    return container[index]


def replace(schema: Mapping[str, Any], kind: str, key: str, obj: Mapping[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(dict(schema))
    container, index, _parent = locate(new, kind, key)
    container[index] = dict(obj)
    return new


def add(
    schema: Mapping[str, Any], kind: str, obj: Mapping[str, Any], *, parent_key: str | None = None
) -> dict[str, Any]:
    """Append a step, or a section to step ``parent_key``, or a field to section ``parent_key``."""
    new = copy.deepcopy(dict(schema))
    if kind == "step":
        new.setdefault("steps", []).append(dict(obj))
        return new
    parent_kind = "step" if kind == "section" else "section"
    container, index, _ = locate(new, parent_kind, parent_key or "")
    container[index].setdefault(KINDS[kind], []).append(dict(obj))
    return new


def delete(schema: Mapping[str, Any], kind: str, key: str) -> dict[str, Any]:
    new = copy.deepcopy(dict(schema))
    container, index, _parent = locate(new, kind, key)
    del container[index]
    return new


def move(schema: Mapping[str, Any], kind: str, key: str, direction: str) -> dict[str, Any]:
    """Move one place ``up`` or ``down`` among its siblings; at either end nothing changes."""
    new = copy.deepcopy(dict(schema))
    container, index, _parent = locate(new, kind, key)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(container):
        container[index], container[target] = container[target], container[index]
    return new


# -- scoring ---------------------------------------------------------------------------------


def scoring(schema: Mapping[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(dict(schema).get("scoring") or {})


def score_item(schema: Mapping[str, Any], key: str) -> dict[str, Any]:
    for item in scoring(schema).get("items") or []:
        if item.get("key") == key:
            return item
    raise EditError(f"计分项 {key} 不存在")


def item_for_field(schema: Mapping[str, Any], field_key: str) -> dict[str, Any] | None:
    """The ``option`` score item that scores this choice field, if any."""
    for item in scoring(schema).get("items") or []:
        if item.get("method") == "option" and item.get("field") == field_key:
            return item
    return None


def put_score_item(
    schema: Mapping[str, Any], item: Mapping[str, Any], *, old_key: str | None = None
) -> dict[str, Any]:
    """Replace the item ``old_key`` (or the item with the same key), else append it."""
    new = copy.deepcopy(dict(schema))
    items = new.setdefault("scoring", {}).setdefault("items", [])
    for index, existing in enumerate(items):
        if existing.get("key") in (old_key or item.get("key"), item.get("key")):
            items[index] = dict(item)
            return new
    items.append(dict(item))
    return new


def delete_score_item(schema: Mapping[str, Any], key: str) -> dict[str, Any]:
    new = copy.deepcopy(dict(schema))
    items = (new.get("scoring") or {}).get("items") or []
    remaining = [i for i in items if i.get("key") != key]
    if len(remaining) == len(items):
        raise EditError(f"计分项 {key} 不存在")
    new["scoring"]["items"] = remaining
    return new


def move_score_item(schema: Mapping[str, Any], key: str, direction: str) -> dict[str, Any]:
    new = copy.deepcopy(dict(schema))
    items = (new.get("scoring") or {}).get("items") or []
    keys = [i.get("key") for i in items]
    if key not in keys:
        raise EditError(f"计分项 {key} 不存在")
    index = keys.index(key)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return new


def scoring_part(schema: Mapping[str, Any], name: str, default: Any = None) -> Any:
    """A copy of ``scoring.<name>`` (groups, items, outcome, max_total), or ``default``."""
    value = scoring(schema).get(name)
    return default if value is None else value


def top(schema: Mapping[str, Any], name: str, default: Any = None) -> Any:
    """A copy of a top-level part (title, description, metadata, validations), or ``default``."""
    value = copy.deepcopy(dict(schema).get(name))
    return default if value is None else value


def set_scoring_part(schema: Mapping[str, Any], name: str, value: Any) -> dict[str, Any]:
    """Set ``scoring.<name>`` (groups, outcome, max_total); ``None`` removes it."""
    new = copy.deepcopy(dict(schema))
    part = new.setdefault("scoring", {})
    if value is None:
        part.pop(name, None)
    else:
        part[name] = value
    return new


def set_top(schema: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    """Set top-level parts (title, description, metadata, validations); ``None`` removes one."""
    new = copy.deepcopy(dict(schema))
    for name, value in values.items():
        if value is None:
            new.pop(name, None)
        else:
            new[name] = value
    return new


def sync_option_item(
    schema: Mapping[str, Any],
    field: Mapping[str, Any],
    *,
    scored: bool,
    group: str | None,
    maximum: int | float | None,
    old_key: str | None = None,
) -> dict[str, Any]:
    """Keep a choice field in step with its ``option`` score item (the field form's “计入得分”).

    ``scored``: create or update the item scoring ``field`` (its key follows a renamed field,
    its group and maximum are set); not scored: delete the item if there is one. ``old_key`` is
    the field's key before this edit.
    """
    item = item_for_field(schema, old_key or field["key"])
    if not scored:
        return delete_score_item(schema, item["key"]) if item is not None else copy.deepcopy(dict(schema))
    updated = dict(
        item or {"key": field["key"], "label": str(field.get("label", ""))[:100], "method": "option"}
    )
    updated.update(field=field["key"], max=maximum)
    if group:
        updated["group"] = group
    else:
        updated.pop("group", None)
    return put_score_item(schema, updated, old_key=(item or {}).get("key"))
