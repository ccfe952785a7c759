"""File answers (issue 8): private storage outside MEDIA_ROOT, generated names, downloads only
for the owner and for staff whose province covers the enterprise."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from forms_engine.models import FormSubmission
from tests.enterprises.factories import EnterpriseFactory, UserFactory
from tests.factories.forms import FormVersionFactory, SubmissionFactory, field, make_schema

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 licence"


@pytest.fixture
def regions():
    from portal.reference.models import Region

    guangdong = Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
    zhejiang = Region.objects.create(code="330000", name="浙江省", level=Region.Level.PROVINCE)
    shenzhen = Region.objects.create(
        code="440300", name="深圳市", level=Region.Level.PREFECTURE, parent=guangdong
    )
    nanshan = Region.objects.create(code="440305", name="南山区", level=Region.Level.COUNTY, parent=shenzhen)
    return {"guangdong": guangdong, "zhejiang": zhejiang, "nanshan": nanshan}


@pytest.fixture
def uploaded(client, regions):
    """An enterprise in 南山区 uploads its licence in the wizard (【暂存】)."""
    enterprise = EnterpriseFactory(region=regions["nanshan"])
    version = FormVersionFactory(
        schema=make_schema(field("licence", "file", "营业执照", accept=[".pdf"], max_size_mb=1))
    )
    submission = SubmissionFactory(version=version, owner=enterprise.owner)
    client.force_login(enterprise.owner)
    upload = SimpleUploadedFile("../../营业执照 2026.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/forms/s/{submission.uuid}/",
        {
            f"form_{version.pk}-current_step": "step1",
            "wizard_action": "save",
            "wizard_revision": submission.revision,
            "step1-licence": upload,
        },
    )
    assert response.status_code == 200
    return FormSubmission.objects.get(pk=submission.pk)


def stored_path(submission) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / submission.answers["licence"]["path"]


def test_an_uploaded_file_is_stored_privately_under_a_generated_name(uploaded):
    answer = uploaded.answers["licence"]
    assert answer["name"] == "营业执照 2026.pdf"  # shown, never used as a path
    assert "营业执照" not in answer["path"] and ".." not in answer["path"]
    assert answer["path"].startswith(f"forms/{uploaded.uuid}/licence/") and answer["path"].endswith(".pdf")
    assert stored_path(uploaded).read_bytes() == PDF
    media = Path(settings.MEDIA_ROOT).resolve()
    assert not stored_path(uploaded).resolve().is_relative_to(media)
    assert not any(p.is_file() and p.read_bytes() == PDF for p in media.rglob("*"))  # no public copy


def test_the_owner_downloads_the_file_with_its_own_name(client, uploaded):
    response = client.get(f"/forms/s/{uploaded.uuid}/files/licence/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_another_enterprise_cannot_download_it(client, uploaded):
    client.force_login(EnterpriseFactory().owner)
    assert client.get(f"/forms/s/{uploaded.uuid}/files/licence/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, uploaded):
    client.logout()
    response = client.get(f"/forms/s/{uploaded.uuid}/files/licence/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def staff(username: str, province, *, permitted: bool = True):
    from portal.review.models import ReviewerScope

    user = UserFactory(username=username, is_staff=True)
    if permitted:
        user.user_permissions.add(
            Permission.objects.get(codename="view_formsubmission", content_type__app_label="forms_engine")
        )
    if province is not None:
        ReviewerScope.objects.create(user=user, level="province", region=province)
    return user


@pytest.mark.parametrize(
    ("who", "status"),
    [("guangdong", 200), ("zhejiang", 404), ("no_scope", 404), ("no_permission", 404), ("superuser", 200)],
)
def test_staff_download_only_within_their_province(client, uploaded, regions, who, status):
    user = {
        "superuser": lambda: UserFactory(username="root", is_staff=True, is_superuser=True),
        "guangdong": lambda: staff("gd_staff", regions["guangdong"]),
        "zhejiang": lambda: staff("zj_staff", regions["zhejiang"]),
        "no_scope": lambda: staff("no_scope", None),
        "no_permission": lambda: staff("no_perm", regions["guangdong"], permitted=False),
    }[who]()
    client.force_login(user)
    assert client.get(f"/forms/s/{uploaded.uuid}/files/licence/").status_code == status


@pytest.mark.parametrize(
    "path",
    ["../../private-media/licences/x.jpg", "licences/2026/01/x.jpg", "forms/x/licence/../../../etc/passwd"],
)
def test_a_forged_answer_cannot_point_the_download_elsewhere(client, uploaded, path):
    FormSubmission.objects.filter(pk=uploaded.pk).update(
        answers={"licence": {"name": "x", "path": path, "size": 1}}
    )
    assert client.get(f"/forms/s/{uploaded.uuid}/files/licence/").status_code == 404
