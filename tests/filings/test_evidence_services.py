"""Evidence services: inspection verdicts, replace, delete, lock/unlock for the filing, housekeeping,
and the audit entries they write."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.filings.evidence import services
from portal.filings.evidence.signals import archive_replaced
from portal.filings.models import EvidenceArchive

from .conftest import tus_create, tus_patch, tus_upload
from .zipcraft import zip_of

pytestmark = pytest.mark.django_db
GOOD = zip_of({"营业执照.pdf": b"%PDF-1.7 " + os.urandom(4000)})
BAD_NAME = zip_of({"报告?.pdf": b"%PDF-1.7 " + os.urandom(4000)})


def actions(archive) -> list[str]:
    return list(
        ModelLogEntry.objects.filter(object_id=str(archive.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def passed(owner_client, django_capture_on_commit_callbacks) -> EvidenceArchive:
    with django_capture_on_commit_callbacks(execute=True):
        archive = tus_upload(owner_client, GOOD, filename="第一版.zip")
    archive.refresh_from_db()
    assert archive.state == "passed"
    return archive


def test_a_refused_archive_keeps_its_reason_and_frees_its_storage(
    owner_client, django_capture_on_commit_callbacks, evidence_root
):
    with django_capture_on_commit_callbacks(execute=True):
        archive = tus_upload(owner_client, BAD_NAME)
    archive.refresh_from_db()
    assert (archive.state, archive.refusal_code) == ("refused", "bad_character")
    assert archive.refusal_params == {"member": "报告?.pdf", "character": "?"}
    assert "报告?.pdf" in archive.refusal_message
    assert archive.stored_name == ""
    assert not any(path.is_file() for path in evidence_root.rglob("*"))
    assert actions(archive) == ["filings.evidence_uploaded", "filings.evidence_refused"]


def test_inspection_runs_once_whatever_the_number_of_runs(passed):
    inspected_at = passed.inspected_at
    assert services.run_inspection(archive_id=passed.pk) == "passed"
    passed.refresh_from_db()
    assert passed.inspected_at == inspected_at
    assert actions(passed).count("filings.evidence_passed") == 1
    assert services.run_inspection(archive_id=999_999) == "missing"


def test_an_unexpected_error_is_recorded_as_inspection_failed(
    owner_client, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the inspection")

    monkeypatch.setattr(services, "inspect_archive", broken)
    with django_capture_on_commit_callbacks(execute=True):
        archive = tus_upload(owner_client, GOOD)
    archive.refresh_from_db()
    assert (archive.state, archive.refusal_code) == ("refused", "inspection_failed")


def test_a_replacement_that_passes_removes_the_archive_it_replaces(
    owner_client, passed, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, old, new, **kwargs):
        received.append((old.pk, new.pk))

    archive_replaced.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            new = tus_upload(
                owner_client,
                zip_of({"第二版.pdf": b"%PDF-1.7 " + os.urandom(3000)}),
                filename="第二版.zip",
                replaces=str(passed.public_id),
            )
    finally:
        archive_replaced.disconnect(receiver)
    new.refresh_from_db()
    assert new.state == "passed" and new.replaces is None
    assert not EvidenceArchive.objects.filter(pk=passed.pk).exists()
    assert received == [(passed.pk, new.pk)]
    assert "filings.evidence_replaced" in actions(new)


def test_a_replacement_that_is_refused_leaves_the_original_in_place(
    owner_client, passed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = tus_upload(owner_client, BAD_NAME, replaces=str(passed.public_id))
    new.refresh_from_db()
    assert new.state == "refused"
    assert EvidenceArchive.objects.filter(pk=passed.pk, state="passed").exists()


def test_a_second_replacement_supersedes_an_unfinished_first(owner_client, passed):
    first = tus_create(owner_client, "v2.zip", 5000, replaces=str(passed.public_id))
    second = tus_create(owner_client, "v3.zip", 5000, replaces=str(passed.public_id))
    assert first.status_code == second.status_code == 201
    assert list(EvidenceArchive.objects.filter(replaces=passed).values_list("filename", flat=True)) == [
        "v3.zip"
    ]


def test_lock_freezes_a_passed_archive_against_replace_and_delete(owner_client, passed, legal_user):
    services.lock_evidence_archive(archive=passed, user=legal_user)
    services.lock_evidence_archive(archive=passed, user=legal_user)  # idempotent
    passed.refresh_from_db()
    assert passed.is_locked
    with pytest.raises(services.ArchiveLockedError):
        services.delete_evidence_archive(archive=passed, user=legal_user)
    response = tus_create(owner_client, "v2.zip", 100, replaces=str(passed.public_id))
    assert (response.status_code, response.json()["code"]) == (403, "locked")
    response = owner_client.delete(
        f"/enterprise/filings/evidence/uploads/{passed.public_id}", HTTP_TUS_RESUMABLE="1.0.0"
    )
    assert response.status_code == 403
    assert actions(passed).count("filings.evidence_locked") == 1


def test_only_a_passed_archive_can_be_locked(owner_client):
    tus_create(owner_client, "a.zip", 100)
    with pytest.raises(services.ArchiveNotPassedError):
        services.lock_evidence_archive(archive=EvidenceArchive.objects.get())


def test_unlock_allows_changes_again(passed, legal_user):
    services.lock_evidence_archive(archive=passed)
    services.unlock_evidence_archive(archive=passed, user=legal_user)
    services.delete_evidence_archive(archive=passed, user=legal_user)
    assert not EvidenceArchive.objects.exists()
    assert "filings.evidence_unlocked" in [entry.action for entry in ModelLogEntry.objects.all()]


def test_a_replacement_passing_after_the_original_was_locked_replaces_nothing(
    owner_client, passed, django_capture_on_commit_callbacks
):
    url = tus_create(owner_client, "v2.zip", len(GOOD), replaces=str(passed.public_id))["Location"]
    services.lock_evidence_archive(archive=passed)  # the filing was submitted meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        tus_patch(owner_client, url, 0, GOOD)
    assert EvidenceArchive.objects.filter(pk=passed.pk).exists()
    assert EvidenceArchive.objects.filter(state="passed").count() == 2


def test_deleting_twice_is_harmless(passed, legal_user):
    services.delete_evidence_archive(archive=passed, user=legal_user)
    services.delete_evidence_archive(archive=passed, user=legal_user)
    assert ModelLogEntry.objects.filter(action="filings.evidence_deleted").count() == 1


def test_purge_deletes_expired_uploads_and_old_orphan_parts(
    owner_client, evidence_root, django_capture_on_commit_callbacks
):
    url = tus_create(owner_client, "旧.zip", len(GOOD))["Location"]
    tus_patch(owner_client, url, 0, GOOD[:1000])
    fresh_url = tus_create(owner_client, "新.zip", len(GOOD))["Location"]
    tus_patch(owner_client, fresh_url, 0, GOOD[:1000])
    EvidenceArchive.objects.filter(filename="旧.zip").update(
        upload_expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    orphan = evidence_root / "uploads" / "0f0f0f0f-0000-0000-0000-000000000000" / "000000000000-lost.part"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"PK")
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))

    assert services.purge_expired_uploads(dry_run=True) == {"expired_uploads": 1, "orphan_parts": 1}
    assert EvidenceArchive.objects.count() == 2 and orphan.exists()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.purge_expired_uploads()
    assert counts == {"expired_uploads": 1, "orphan_parts": 1}
    assert list(EvidenceArchive.objects.values_list("filename", flat=True)) == ["新.zip"]
    assert not orphan.exists()
    remaining = [p for p in evidence_root.rglob("*.part")]
    assert len(remaining) == 1  # the fresh upload's part survives
    assert services.purge_expired_uploads() == {"expired_uploads": 0, "orphan_parts": 0}


def test_stale_inspections_are_queued_again(owner_client, settings):
    url = tus_create(owner_client, "a.zip", len(GOOD))["Location"]
    # the last chunk arrived, but no worker ran the inspection (say it died)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "evidence"]}
    }
    tus_patch(owner_client, url, 0, GOOD)
    archive = EvidenceArchive.objects.get()
    assert archive.state == "checking"
    EvidenceArchive.objects.update(uploaded_at=timezone.now() - dt.timedelta(hours=2))
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "evidence"],
        }
    }
    assert services.requeue_stale_inspections(older_than=dt.timedelta(minutes=30)) == 1
    archive.refresh_from_db()
    assert archive.state == "passed"


def test_the_housekeeping_command_purges_and_requeues(owner_client):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    tus_create(owner_client, "旧.zip", 100)
    EvidenceArchive.objects.update(upload_expires_at=timezone.now() - dt.timedelta(hours=1))
    out = StringIO()
    call_command("evidence_housekeeping", "--purge", "--requeue-after", "30", "--dry-run", stdout=out)
    assert "1 expired uploads and 0 orphaned parts would be deleted" in out.getvalue()
    assert EvidenceArchive.objects.count() == 1
    call_command("evidence_housekeeping", "--purge", stdout=out)
    assert not EvidenceArchive.objects.exists()
    with pytest.raises(CommandError):
        call_command("evidence_housekeeping")
