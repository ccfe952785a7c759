"""Attachments: ``file``.

The stored answer describes a file kept in the engine's private storage (see
:mod:`forms_engine.uploads`): ``{"name": the user's file name (shown only), "path": the
server-generated storage name, "size", "content_type"}``. The user's file name is never a path.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django import forms

from forms_engine.fields import field_types
from forms_engine.fields.base import AnswerError, FieldType, fmt_number

MAX_FILE_NAME = 200


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


@field_types.register
class FileType(FieldType):
    name = "file"
    label = "附件"
    order = 60
    attributes = frozenset({"accept", "max_size_mb"})
    attribute_labels = {"accept": "文件类型", "max_size_mb": "文件大小上限"}
    designer_inputs = ("max_size_mb",)
    free_text = True
    upload = True

    def parse(self, parser, raw, place):
        accept = raw.get("accept", [])
        if not isinstance(accept, list) or not all(isinstance(a, str) and a.startswith(".") for a in accept):
            parser.issue("invalid_accept", 'accept 必须是以点开头的扩展名列表，如 [".pdf"]', place)
            accept = []
        return {
            "accept": tuple(a.lower() for a in accept),
            "max_size_mb": parser.number(raw, "max_size_mb", place),
        }

    def coerce(self, field, raw):
        if not isinstance(raw, Mapping) or not raw.get("name") or not raw.get("path"):
            raise AnswerError("invalid", "附件信息不完整，请重新上传")
        name = str(raw["name"])[:MAX_FILE_NAME]
        if field.accept and not name.lower().endswith(field.accept):
            raise AnswerError("file_type", "只能上传以下类型的文件：" + "、".join(field.accept))
        size = raw.get("size") or 0
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise AnswerError("invalid", "附件信息不完整，请重新上传")
        if field.max_size_mb is not None and Decimal(size) > field.max_size_mb * 1024 * 1024:
            raise AnswerError("file_size", f"文件不能超过 {fmt_number(field.max_size_mb)} MB")
        return {
            "name": name,
            "path": str(raw["path"]),
            "size": int(size),
            "content_type": str(raw.get("content_type") or ""),
        }

    def display(self, field, value):
        return f"{value['name']}（{human_size(value.get('size') or 0)}）"

    def widget(self, field):
        attrs = {"accept": ",".join(field.accept)} if field.accept else {}
        if field.max_size_mb is not None:
            attrs["data-max-bytes"] = str(int(field.max_size_mb * 1024 * 1024))  # checked before sending
        return forms.ClearableFileInput(attrs=attrs)
