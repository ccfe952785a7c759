"""Why an evidence archive is refused: one registry of codes and their Chinese messages.

A refusal is stored as a code plus parameters (``EvidenceArchive.refusal_code``/``refusal_params``)
and rendered when shown, so a corrected wording applies to stored refusals too. Parameters are
display-ready strings: member names are made printable (:func:`printable`), sizes formatted
(:func:`format_bytes`). Codes are stored keys: never rename one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Any] = {
    # refused before anything is stored whole (tus creation and the first chunk)
    "not_zip_name": _("只能上传一个 .zip 格式的压缩包，“%(filename)s”不是 .zip 文件。"),
    "too_large": _("压缩包大小为 %(size)s，超过 %(limit)s 的上限，请精简材料后重新压缩上传。"),
    "empty_file": _("所选文件“%(filename)s”是空文件，请重新选择。"),
    "not_zip": _("文件内容不是 zip 压缩包（仅改扩展名为 .zip 无效），请用压缩软件生成 .zip 文件后上传。"),
    # the archive as a whole
    "truncated": _("压缩包不完整（文件被截断或已损坏），请重新压缩后上传。"),
    "multi_volume": _("不支持分卷压缩包，请压缩成一个完整的 .zip 文件后上传。"),
    "too_many_members": _("压缩包内有 %(count)s 个文件和文件夹，超过 %(limit)s 个的上限，请精简后重新上传。"),
    "uncompressed_too_large": _("压缩包解压后超过 %(limit)s 的上限，请精简材料后重新上传。"),
    "overlapping_entries": _(
        "压缩包结构异常（文件“%(member)s”与其他文件的数据重叠，疑似“压缩炸弹”），请重新压缩后上传。"
    ),
    "empty_archive": _("压缩包内没有任何文件，请放入申报材料后重新上传。"),
    # one member
    "corrupt_member": _("压缩包内文件“%(member)s”已损坏（数据校验失败），请重新压缩后上传。"),
    "compression_ratio": _(
        "压缩包内文件“%(member)s”的压缩比超过 %(limit)s 倍，疑似“压缩炸弹”，请检查后重新上传。"
    ),
    "path_traversal": _(
        "压缩包内文件“%(member)s”的路径含有“..”，不能指向压缩包以外的位置，请调整目录后重新上传。"
    ),
    "absolute_path": _("压缩包内文件“%(member)s”使用了绝对路径或盘符，请使用相对路径重新压缩后上传。"),
    "symlink": _("压缩包内“%(member)s”是符号链接（快捷方式），请放入文件本身后重新上传。"),
    "special_file": _("压缩包内“%(member)s”不是普通文件（设备文件或管道），请删除后重新上传。"),
    "encrypted": _("压缩包内文件“%(member)s”已加密，请取消密码后重新压缩上传。"),
    "unsupported_compression": _(
        "压缩包内文件“%(member)s”使用了不支持的压缩方式（%(method)s），请使用“标准”（Deflate）或“仅存储”方式重新压缩。"
    ),
    "nested_archive": _("压缩包内文件“%(member)s”本身是压缩包，请解压后将其中的文件直接放入同一个压缩包。"),
    "nesting_too_deep": _("压缩包内文件“%(member)s”嵌套的压缩包超过 %(limit)s 层，请解压后重新打包。"),
    "bad_character": _("压缩包内文件“%(member)s”的名称含有不支持的字符“%(character)s”，请改名后重新上传。"),
    "reserved_name": _("压缩包内文件“%(member)s”的名称“%(component)s”是系统保留名称，请改名后重新上传。"),
    "trailing_dot_or_space": _("压缩包内文件“%(member)s”的名称以空格或“.”结尾，请改名后重新上传。"),
    "name_too_long": _(
        "压缩包内文件“%(member)s”的路径超过 %(limit)s 个字符，请缩短文件名或目录层级后重新上传。"
    ),
    "undecodable_name": _("压缩包内有文件的名称无法识别（“%(member)s”），请改名后重新上传。"),
    "duplicate_name": _(
        "压缩包内有重名文件“%(member)s”（与“%(other)s”相同，不区分大小写），请改名后重新上传。"
    ),
    # the check itself failed (a bug or the storage): the user can only try again
    "inspection_failed": _("检查压缩包时出错，请重新上传；如仍有问题请联系管理员。"),
}


def render_problem(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The Chinese message of refusal ``code`` (unknown codes render as inspection_failed)."""
    template = MESSAGES.get(code, MESSAGES["inspection_failed"])
    try:
        return gettext(str(template)) % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return str(template)


class ArchiveRefusedError(Exception):
    """The archive breaks a rule. ``problems`` holds every (code, params) found, first one first."""

    def __init__(self, code: str, **params: Any):
        if code not in MESSAGES:
            raise ValueError(f"unknown evidence refusal code: {code}")
        self.problems: list[dict[str, Any]] = [{"code": code, "params": params}]
        super().__init__(code)

    @classmethod
    def from_problems(cls, problems: list[dict[str, Any]]) -> ArchiveRefusedError:
        error = cls(problems[0]["code"], **problems[0]["params"])
        error.problems = list(problems)
        return error

    @property
    def code(self) -> str:
        return self.problems[0]["code"]

    @property
    def params(self) -> dict[str, Any]:
        return self.problems[0]["params"]

    @property
    def message(self) -> str:
        return render_problem(self.code, self.params)


def format_bytes(size: int) -> str:
    """Sizes as Windows shows them (1 MB = 1024 × 1024 bytes): 512 字节, 12.5 KB, 300 MB, 2.05 GB."""
    if size < 1024:
        return gettext("%(n)s 字节") % {"n": size}
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        if size < scale * 1024 or unit == "GB":
            value = size / scale
            text = f"{value:.2f}" if unit == "GB" else f"{value:.1f}"
            return f"{text.rstrip('0').rstrip('.')} {unit}"
    raise AssertionError("unreachable")


def describe_character(char: str) -> str:
    """A character as the message shows it: itself when visible, else its code point (U+202E)."""
    if char == " ":
        return gettext("空格")
    if unicodedata.category(char)[0] in {"C", "Z"}:
        return f"U+{ord(char):04X}"
    return char


def printable(name: str) -> str:
    """``name`` with invisible and control characters shown as [U+XXXX], so a bidi override or a
    NUL in a member name cannot disguise or break the message that names it."""
    return "".join(f"[U+{ord(char):04X}]" if unicodedata.category(char)[0] == "C" else char for char in name)
