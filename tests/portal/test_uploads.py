"""portal.core.uploads: one size check, server-generated names, kept uploads and their purge."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from portal.core.storage import private_storage
from portal.core.uploads import MaxUploadSizeValidator, PrivateUploadTo


def test_size_validator_reads_its_setting_at_validation_time(settings):
    validator = MaxUploadSizeValidator("ACCOUNTS_EVIDENCE_MAX_BYTES")
    settings.ACCOUNTS_EVIDENCE_MAX_BYTES = 10
    validator(SimpleUploadedFile("a.pdf", b"x" * 10))
    with pytest.raises(ValidationError) as exc:
        validator(SimpleUploadedFile("a.pdf", b"x" * 11))
    assert exc.value.code == "file_too_large"


@pytest.mark.parametrize(
    ("uploaded", "extension"),
    [("营业执照.PNG", ".png"), ("../../etc/passwd", ""), ("a.tar.gz", ".gz"), ("x.<script>", "")],
)
def test_private_names_are_generated_and_keep_only_a_plain_extension(uploaded, extension):
    name = PrivateUploadTo("licences")(None, uploaded)
    directory, _, filename = name.rpartition("/")
    assert directory.startswith("licences/") and ".." not in name
    assert filename.endswith(extension) and len(filename) == 32 + len(extension)


def test_purge_removes_only_old_pending_uploads(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    old = private_storage.save("pending/old.png", io.BytesIO(b"old"))
    new = private_storage.save("pending/new.png", io.BytesIO(b"new"))
    kept_elsewhere = private_storage.save("licences/2026/12/x.png", io.BytesIO(b"licence"))
    two_days_ago = time.time() - 48 * 3600
    os.utime(private_storage.path(old), (two_days_ago, two_days_ago))
    call_command("purge_pending_uploads", stdout=io.StringIO())
    assert not private_storage.exists(old)
    assert private_storage.exists(new) and private_storage.exists(kept_elsewhere)
