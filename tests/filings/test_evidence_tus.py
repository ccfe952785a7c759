"""The tus server: creation, HEAD offset, PATCH with offset and checksum checks, termination,
expiration; limits enforced before an archive is stored whole; owner-only access."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os

import pytest
from django.test import Client
from django.utils import timezone

from portal.filings.evidence import services
from portal.filings.models import EvidenceArchive

from .conftest import TUS, tus_create, tus_patch, tus_upload
from .zipcraft import zip_of

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
GOOD_ZIP = zip_of(
    {"营业执照.pdf": b"%PDF-1.7 " + os.urandom(5000), "财务/审计报告.pdf": b"%PDF-1.7 " + os.urandom(7000)}
)


def stored_files(root) -> list[str]:
    return (
        sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
        if root.exists()
        else []
    )


def test_options_announce_version_extensions_and_the_300_mb_limit(owner_client):
    response = owner_client.options("/enterprise/filings/evidence/uploads/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination", "checksum", "expiration"}
    assert response["Tus-Max-Size"] == str(300 * MB)


def test_requests_without_the_tus_version_are_refused(owner_client):
    response = owner_client.post("/enterprise/filings/evidence/uploads/", HTTP_UPLOAD_LENGTH="10")
    assert response.status_code == 412


def test_creation_answers_location_and_expiry_and_head_reports_offset_zero(owner_client, legal_user):
    response = tus_create(owner_client, "申报材料.zip", 1234)
    assert response.status_code == 201
    archive = EvidenceArchive.objects.get()
    assert response["Location"] == f"/enterprise/filings/evidence/uploads/{archive.public_id}"
    assert "GMT" in response["Upload-Expires"]
    assert (archive.filename, archive.size, archive.state) == ("申报材料.zip", 1234, "uploading")
    assert archive.enterprise.owner == legal_user
    head = owner_client.head(response["Location"], **TUS)
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "0", "1234")
    assert head["Cache-Control"] == "no-store"


def test_declared_301_mb_is_refused_before_anything_is_stored(owner_client, evidence_root):
    response = tus_create(owner_client, "大文件.zip", 301 * MB)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "301 MB" in response.json()["message"] and "300 MB" in response.json()["message"]
    assert not EvidenceArchive.objects.exists()
    assert stored_files(evidence_root) == []


@pytest.mark.parametrize(
    ("filename", "length", "code"),
    [
        ("材料.rar", 100, "not_zip_name"),
        ("材料.zip.exe", 100, "not_zip_name"),
        ("空文件.zip", 0, "empty_file"),
    ],
)
def test_creation_refuses_names_and_sizes(owner_client, filename, length, code):
    response = tus_create(owner_client, filename, length)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not EvidenceArchive.objects.exists()


def test_creation_requires_a_declared_length(owner_client):
    response = owner_client.post("/enterprise/filings/evidence/uploads/", HTTP_UPLOAD_DEFER_LENGTH="1", **TUS)
    assert response.status_code == 400
    response = owner_client.post("/enterprise/filings/evidence/uploads/", **TUS)
    assert response.status_code == 400


def test_a_non_zip_with_a_zip_name_is_refused_at_its_first_chunk(owner_client, evidence_root):
    pdf = b"%PDF-1.4\n" + bytes(10_000)
    url = tus_create(owner_client, "其实是PDF.zip", len(pdf))["Location"]
    response = tus_patch(owner_client, url, 0, pdf[:4096])
    assert response.status_code == 415
    assert response.json()["code"] == "not_zip"
    archive = EvidenceArchive.objects.get()
    assert (archive.state, archive.refusal_code, archive.offset) == ("refused", "not_zip", 0)
    assert stored_files(evidence_root) == []
    assert owner_client.head(url, **TUS).status_code == 410  # the client starts afresh


def test_patch_at_the_wrong_offset_is_refused_with_the_server_offset(owner_client):
    url = tus_create(owner_client, "a.zip", len(GOOD_ZIP))["Location"]
    assert tus_patch(owner_client, url, 0, GOOD_ZIP[:100]).status_code == 204
    response = tus_patch(owner_client, url, 50, GOOD_ZIP[50:150])
    assert response.status_code == 409
    assert response.json()["code"] == "offset_mismatch"
    assert response["Upload-Offset"] == "100"


def test_more_bytes_than_declared_are_refused_without_being_read(owner_client, settings, evidence_root):
    settings.EVIDENCE_MAX_BYTES = 1 * MB
    assert tus_create(owner_client, "a.zip", MB + 1).json()["code"] == "too_large"
    url = tus_create(owner_client, "a.zip", MB)["Location"]
    first = b"PK\x03\x04" + bytes(MB - 10)
    assert tus_patch(owner_client, url, 0, first).status_code == 204
    response = tus_patch(owner_client, url, len(first), bytes(11))  # one byte past the declared size
    assert response.status_code == 413
    assert response.json()["code"] == "chunk_too_large"
    assert EvidenceArchive.objects.get().offset == len(first)
    assert len(stored_files(evidence_root)) == 1


def test_a_chunk_over_the_per_request_cap_is_refused(owner_client, settings):
    settings.EVIDENCE_MAX_CHUNK_BYTES = 1000
    url = tus_create(owner_client, "a.zip", 5000)["Location"]
    response = tus_patch(owner_client, url, 0, b"PK\x03\x04" + bytes(1500))
    assert response.status_code == 413


def test_patch_needs_the_offset_content_type(owner_client):
    url = tus_create(owner_client, "a.zip", 100)["Location"]
    response = owner_client.generic(
        "PATCH", url, data=b"PK\x03\x04", content_type="application/zip", HTTP_UPLOAD_OFFSET="0", **TUS
    )
    assert response.status_code == 415


def sha1_header(data: bytes) -> str:
    return "sha1 " + base64.b64encode(hashlib.sha1(data).digest()).decode()


def test_checksum_extension_accepts_a_matching_chunk_and_refuses_a_corrupt_one(owner_client, evidence_root):
    url = tus_create(owner_client, "a.zip", len(GOOD_ZIP))["Location"]
    chunk = GOOD_ZIP[:1000]
    ok = tus_patch(owner_client, url, 0, chunk, HTTP_UPLOAD_CHECKSUM=sha1_header(chunk))
    assert (ok.status_code, ok["Upload-Offset"]) == (204, "1000")
    corrupt = tus_patch(
        owner_client, url, 1000, GOOD_ZIP[1000:2000], HTTP_UPLOAD_CHECKSUM=sha1_header(b"something else")
    )
    assert corrupt.status_code == 460
    assert EvidenceArchive.objects.get().offset == 1000
    assert len(stored_files(evidence_root)) == 1  # the corrupt chunk was not kept
    unknown = tus_patch(owner_client, url, 1000, GOOD_ZIP[1000:2000], HTTP_UPLOAD_CHECKSUM="crc32 AAAA")
    assert unknown.status_code == 400


def test_a_whole_upload_in_chunks_passes_inspection(
    owner_client, django_capture_on_commit_callbacks, evidence_root
):
    with django_capture_on_commit_callbacks(execute=True):
        archive = tus_upload(owner_client, GOOD_ZIP, chunk=4096)
    archive.refresh_from_db()
    assert archive.state == "passed"
    assert [member["name"] for member in archive.members] == ["营业执照.pdf", "财务/审计报告.pdf"]
    assert archive.sha256 == hashlib.sha256(GOOD_ZIP).hexdigest()
    assert archive.parts == []
    assert stored_files(evidence_root) == [archive.stored_name]
    assert (evidence_root / archive.stored_name).read_bytes() == GOOD_ZIP
    head = owner_client.head(f"/enterprise/filings/evidence/uploads/{archive.public_id}", **TUS)
    assert head["Upload-Offset"] == head["Upload-Length"] == str(len(GOOD_ZIP))


def test_an_upload_resumes_from_the_server_offset_in_a_new_session(
    legal_user, django_capture_on_commit_callbacks
):
    first = Client()
    first.force_login(legal_user)
    url = tus_create(first, "续传.zip", len(GOOD_ZIP))["Location"]
    assert tus_patch(first, url, 0, GOOD_ZIP[:3000]).status_code == 204
    later = Client()  # another browser, or the same one after a reload
    later.force_login(legal_user)
    offset = int(later.head(url, **TUS)["Upload-Offset"])
    assert offset == 3000
    with django_capture_on_commit_callbacks(execute=True):
        assert tus_patch(later, url, offset, GOOD_ZIP[offset:]).status_code == 204
    assert EvidenceArchive.objects.get().state == "passed"


class DroppingStream(io.BytesIO):
    """A request body whose connection drops after ``keep`` bytes."""

    def __init__(self, data: bytes, keep: int):
        super().__init__(data)
        self.keep = keep

    def read(self, size=-1):
        if self.tell() >= self.keep:
            raise OSError("connection reset by peer")
        return super().read(min(size, self.keep - self.tell()))


def test_a_dropped_connection_keeps_the_bytes_that_arrived(owner_client, django_capture_on_commit_callbacks):
    url = tus_create(owner_client, "a.zip", len(GOOD_ZIP))["Location"]
    archive = EvidenceArchive.objects.get()
    archive = services.append_chunk(
        archive=archive, offset=0, length=len(GOOD_ZIP), body=DroppingStream(GOOD_ZIP, keep=2500)
    )
    assert (archive.offset, archive.state) == (2500, "uploading")
    assert owner_client.head(url, **TUS)["Upload-Offset"] == "2500"
    with django_capture_on_commit_callbacks(execute=True):
        assert tus_patch(owner_client, url, 2500, GOOD_ZIP[2500:]).status_code == 204
    archive.refresh_from_db()
    assert archive.state == "passed"
    assert archive.sha256 == hashlib.sha256(GOOD_ZIP).hexdigest()


def test_termination_deletes_the_upload_and_its_parts(owner_client, evidence_root):
    url = tus_create(owner_client, "a.zip", len(GOOD_ZIP))["Location"]
    tus_patch(owner_client, url, 0, GOOD_ZIP[:2000])
    assert stored_files(evidence_root)
    response = owner_client.delete(url, **TUS)
    assert response.status_code == 204
    assert not EvidenceArchive.objects.exists()
    assert owner_client.head(url, **TUS).status_code == 404


def test_termination_deletes_files_after_commit(
    owner_client, evidence_root, django_capture_on_commit_callbacks
):
    url = tus_create(owner_client, "a.zip", len(GOOD_ZIP))["Location"]
    tus_patch(owner_client, url, 0, GOOD_ZIP[:2000])
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.delete(url, **TUS)
    assert stored_files(evidence_root) == []


def test_an_expired_upload_takes_no_more_bytes(owner_client):
    url = tus_create(owner_client, "a.zip", len(GOOD_ZIP))["Location"]
    EvidenceArchive.objects.update(upload_expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = tus_patch(owner_client, url, 0, GOOD_ZIP[:100])
    assert response.status_code == 410
    assert response.json()["code"] == "expired"


def test_the_quota_of_archives_per_enterprise_holds(owner_client, settings):
    settings.EVIDENCE_MAX_ARCHIVES_PER_ENTERPRISE = 2
    assert tus_create(owner_client, "1.zip", 100).status_code == 201
    assert tus_create(owner_client, "2.zip", 100).status_code == 201
    response = tus_create(owner_client, "3.zip", 100)
    assert response.status_code == 403
    assert response.json()["code"] == "quota_exceeded"


def test_patch_needs_the_csrf_token(legal_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(legal_user)
    client.get("/enterprise/filings/evidence/")
    token = client.cookies["csrftoken"].value
    refused = client.post(
        "/enterprise/filings/evidence/uploads/",
        HTTP_UPLOAD_LENGTH="100",
        HTTP_UPLOAD_METADATA="filename YS56aXA=",
        **TUS,
    )
    assert refused.status_code == 403
    accepted = client.post(
        "/enterprise/filings/evidence/uploads/",
        HTTP_UPLOAD_LENGTH="100",
        HTTP_UPLOAD_METADATA="filename YS56aXA=",
        HTTP_X_CSRFTOKEN=token,
        **TUS,
    )
    assert accepted.status_code == 201


# --- who may touch an upload --------------------------------------------------------------


def test_another_enterprise_cannot_see_or_touch_an_upload(owner_client, other_client):
    url = tus_create(owner_client, "a.zip", len(GOOD_ZIP))["Location"]
    tus_patch(owner_client, url, 0, GOOD_ZIP[:1000])
    public_id = url.rsplit("/", 1)[-1]
    assert other_client.head(url, **TUS).status_code == 404
    assert tus_patch(other_client, url, 1000, GOOD_ZIP[1000:2000]).status_code == 404
    assert other_client.delete(url, **TUS).status_code == 404
    assert other_client.get(f"/enterprise/filings/evidence/{public_id}/status/").status_code == 404
    assert other_client.get(f"/enterprise/filings/evidence/{public_id}/download/").status_code == 404
    assert other_client.post(f"/enterprise/filings/evidence/{public_id}/delete/").status_code == 302
    assert EvidenceArchive.objects.get().offset == 1000  # untouched


def test_anonymous_and_natural_person_accounts_are_refused(client, natural_user):
    response = tus_create(client, "a.zip", 100)
    assert response.status_code == 401
    assert response.json()["code"] == "login_required"
    natural = Client()
    natural.force_login(natural_user)
    response = tus_create(natural, "a.zip", 100)
    assert response.status_code == 403
    assert response.json()["code"] == "natural_person"
    assert not EvidenceArchive.objects.exists()


def test_replacing_needs_an_archive_of_ones_own(
    owner_client, other_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        archive = tus_upload(owner_client, GOOD_ZIP)
    response = tus_create(other_client, "b.zip", 100, replaces=str(archive.public_id))
    assert response.status_code == 404
