"""Factories and identity-number builders for the accounts tests."""

from __future__ import annotations

import itertools
import re

import factory
from django.contrib.auth import get_user_model

from portal.accounts import sms
from portal.accounts.models import Account
from portal.core.identity import id_check_character, uscc_check_character

PASSWORD = "Qiye-Pass-2026"
_phones = itertools.count(13800000000)


def make_uscc(region: str = "440300", serial: str = "MA5D8XXX1") -> str:
    first17 = "91" + region + serial
    return first17 + uscc_check_character(first17)


def make_id_number(region: str = "440305", birth: str = "19900101", seq: str = "123") -> str:
    first17 = region + birth + seq
    return first17 + id_check_character(first17)


def wrong_check(value: str) -> str:
    last = value[-1]
    return value[:-1] + ("1" if last != "1" else "2")


def last_code(phone: str) -> str:
    for message in reversed(sms.outbox):
        if message.phone == phone:
            match = re.search(r"验证码为 (\d{6})", message.text)
            if match:
                return match.group(1)
    raise AssertionError(f"no code sent to {phone}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"qiye{n:03d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    user = factory.SubFactory(UserFactory)
    phone = factory.LazyFunction(lambda: str(next(_phones)))


class VerifiedLegalAccountFactory(AccountFactory):
    user_type = "legal"
    verification_status = "verified"
    real_name = "张三"
    uscc = factory.Sequence(lambda n: make_uscc(serial=f"MA5D8{n:04d}"))


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

    from portal.accounts.models import StaffRegion
    from portal.reference.models import Region

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
    StaffRegion.objects.create(user=user, province=region)
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
