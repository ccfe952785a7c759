"""The certificate PDF: real text (pdftotext), A4 landscape (pdfinfo), marked 样式, kept once."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.files.storage import storages

from portal.recognition import certificate
from portal.recognition.models import ProvinceRecognitionSetting, Recognition
from portal.recognition.services import import_recognition
from tests.factories import recognition as factories

pytestmark = pytest.mark.django_db


def pdf_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:  # poppler-utils is a test dependency like chromium: never skip silently
        raise RuntimeError(f"{name} not found: install Debian's poppler-utils")
    return path


def pdf_text(data: bytes) -> str:
    run = subprocess.run(
        [pdf_tool("pdftotext"), "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return run.stdout.decode("utf-8")


def pdf_info(data: bytes) -> str:
    return subprocess.run(
        [pdf_tool("pdfinfo"), "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def recognition(regions) -> Recognition:
    import datetime as dt

    ProvinceRecognitionSetting.objects.create(province=regions["440000"], authority="广东省工业和信息化厅")
    enterprise = factories.enterprise(region=regions["440305"], name="深圳市证书测试智能装备有限公司")
    return import_recognition(
        enterprise=enterprise, level="specialized", year=2026, valid_from=dt.date(2026, 12, 1)
    )


def test_the_certificate_carries_every_fact_as_text(recognition):
    data = certificate.render_certificate_pdf(recognition)
    text = pdf_text(data)
    flat = "".join(text.split())
    for fact in (
        "认定证书",
        "深圳市证书测试智能装备有限公司",
        recognition.uscc,
        "专精特新中小企业",
        "粤ZJTX202600001",
        "2026年度",
        "2026年12月1日至2029年11月30日",
        "广东省工业和信息化厅",
        "样式",
        "本证书为平台生成的样式",
    ):
        assert fact in flat, fact
    info = pdf_info(data)
    assert "Pages:           1" in info
    assert "841.89 x 595.276 pts (A4)" in info or "842 x 595 pts (A4)" in info  # landscape


def test_the_certificate_is_rendered_once_and_remembered(recognition, monkeypatch):
    handle, filename = certificate.certificate_file(recognition)
    first = handle.read()
    handle.close()
    assert first.startswith(b"%PDF") and filename == (
        "深圳市证书测试智能装备有限公司-专精特新中小企业认定证书-粤ZJTX202600001.pdf"
    )
    recognition.refresh_from_db()
    assert recognition.certificate_name == f"recognitions/{recognition.pk}/certificate-{recognition.pk}.pdf"
    assert storages["filing_documents"].exists(recognition.certificate_name)

    def render_again(_recognition):
        raise AssertionError("rendered twice")

    monkeypatch.setattr(certificate, "render_certificate_pdf", render_again)
    handle, _ = certificate.certificate_file(recognition)
    assert handle.read() == first
    handle.close()


def test_the_render_task_keeps_the_certificate(recognition):
    from portal.recognition.tasks import render_certificate

    render_certificate.call(recognition.pk)
    recognition.refresh_from_db()
    assert storages["filing_documents"].exists(recognition.certificate_name)
