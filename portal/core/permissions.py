"""Chinese names for Django's model permissions (post_migrate).

Django names the permissions it creates "Can add <model>" in English, whatever the language, and
Wagtail's own custom ones are English too; the admin's group editor shows those names. After every
migrate, names still in that English form are rewritten with the model's Chinese verbose name.
Django never renames an existing permission, so the Chinese names stay.
"""

from __future__ import annotations

import re

from django.utils import translation

ACTIONS = {"add": "可添加", "change": "可修改", "delete": "可删除", "view": "可查看", "choose": "可选择"}
DEFAULT_NAME = re.compile(r"^Can (add|change|delete|view|choose) ")
WAGTAIL_NAMES = {
    "Can access Wagtail admin": "可访问管理后台",
    "Delete pages with children": "可删除含子页面的页面",
    "Lock/unlock pages you've locked": "可锁定/解锁自己锁定的页面",
    "Publish any page": "可发布任意页面",
    "Unlock any page": "可解锁任意页面",
}


def translate_permission_names(**kwargs) -> None:
    from django.contrib.auth.models import Permission

    with translation.override("zh-hans"):
        for permission in Permission.objects.select_related("content_type"):
            name = WAGTAIL_NAMES.get(permission.name)
            match = DEFAULT_NAME.match(permission.name)
            if name is None and match:
                model = permission.content_type.model_class()
                if model is None:
                    continue
                name = ACTIONS[match.group(1)] + str(model._meta.verbose_name)
            if name and name != permission.name:
                Permission.objects.filter(pk=permission.pk).update(name=name[:255])
