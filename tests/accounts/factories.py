"""Helpers of the accounts tests; the factories and identity numbers live in tests/factories/
(shared by every test package) and are importable from here as before."""

from __future__ import annotations

import re

from portal.accounts import sms
from tests.factories.accounts import PASSWORD, AccountFactory, UserFactory, VerifiedLegalAccountFactory
from tests.factories.identity import make_id_number, make_uscc, wrong_check

__all__ = [
    "PASSWORD",
    "AccountFactory",
    "UserFactory",
    "VerifiedLegalAccountFactory",
    "error_codes",
    "form_errors",
    "last_code",
    "make_id_number",
    "make_uscc",
    "other_code",
    "pdf_upload",
    "png_upload",
    "staff",
    "staff_with_phone",
    "wrong_check",
]


def last_code(phone: str) -> str:
    for message in reversed(sms.outbox):
        if message.phone == phone:
            match = re.search(r"验证码为 (\d{6})", message.text)
            if match:
                return match.group(1)
    raise AssertionError(f"no code sent to {phone}")


def png_upload(name: str = "licence.png", size: tuple[int, int] = (20, 20)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name: str = "evidence.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%evidence\n", content_type="application/pdf")


def staff(province_code: str, name: str):
    """A reviewer of one province with the queue permissions."""
    from django.contrib.auth.models import Group, Permission

    from portal.reference.models import Region
    from portal.review.models import ReviewerScope

    region, _ = Region.objects.get_or_create(code=province_code, defaults={"name": name, "level": "province"})
    user = UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name="实名认证审核")
    group.permissions.set(
        Permission.objects.filter(
            codename__in=[
                "access_admin",
                "view_realnameverification",
                "change_realnameverification",
                "view_phonechangerequest",
                "change_phonechangerequest",
            ]
        )
    )
    user.groups.add(group)
    ReviewerScope.objects.create(user=user, level="province", region=region)
    return user


def other_code(code: str) -> str:
    """A six-digit code different from ``code``."""
    return f"{(int(code) + 1) % 10**6:06d}"


def error_codes(response, field=None, form="form") -> set[str]:
    """The ValidationError codes a rendered form carries (``field`` None: all fields)."""
    bound = response.context[form]
    errors = bound.errors.as_data()
    if field is not None:
        return {error.code for error in errors.get(field, [])}
    return {error.code for field_errors in errors.values() for error in field_errors}


def form_errors(response, field=None, form="form") -> list:
    """The ValidationErrors of a rendered form (``field`` None: non-field errors)."""
    return response.context[form].errors.as_data().get(field or "__all__", [])


def staff_with_phone(*, phone: str = "13700000001", superuser: bool = False, **kwargs):
    """A staff member who can open the admin, with the bound phone the admin login texts."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True, is_superuser=superuser, **kwargs)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    AccountFactory(user=user, phone=phone)
    return user
