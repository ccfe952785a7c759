"""The tus 1.0.0 resumable-upload protocol (https://tus.io/protocols/resumable-upload), server side.

Extensions: creation, termination, checksum (sha1, sha256, md5), expiration. Not offered:
creation-defer-length (the size must be known to refuse an archive over the limit at once),
creation-with-upload and concatenation.

- ``POST   uploads/``        creation: Upload-Length and Upload-Metadata (filename, optional
                              ``replaces`` = the public id of the archive to replace) → 201 Location
- ``HEAD   uploads/<uuid>``  the offset the server holds → 200 Upload-Offset
- ``PATCH  uploads/<uuid>``  append at Upload-Offset (application/offset+octet-stream) → 204
- ``DELETE uploads/<uuid>``  termination → 204
- ``OPTIONS``                capabilities

Views only parse headers and map service errors to status codes; the rules live in
:mod:`.services`. Every request is same-origin with the session cookie, so CSRF protection applies
to POST/PATCH/DELETE (the browser script sends X-CSRFToken).
"""

from __future__ import annotations

import base64
import binascii
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.filings.models import EvidenceArchive

from . import services
from .access import EvidenceOwnerMixin, json_error
from .refusals import ArchiveRefusedError
from .selectors import get_archive_for_enterprise

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,checksum,expiration"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"

PROTOCOL_MESSAGES = {
    "not_found": gettext_lazy("上传记录不存在或已删除，请重新上传。"),
    "expired": gettext_lazy("上传已过期（长时间未完成），请重新上传。"),
    "not_uploading": gettext_lazy("该压缩包已接收完毕，不能继续写入。"),
    "offset_mismatch": gettext_lazy("上传进度与服务器记录不一致，将从服务器记录的位置继续。"),
    "chunk_too_large": gettext_lazy("上传的数据超过了声明的文件大小或单次上传的上限。"),
    "checksum_mismatch": gettext_lazy("数据校验失败（传输中出错），请重新发送。"),
    "unsupported_checksum": gettext_lazy("不支持的校验算法。"),
    "quota_exceeded": gettext_lazy("最多保留 %(limit)s 个压缩包，请先删除不需要的压缩包。"),
    "locked": gettext_lazy("该压缩包已随申报提交，不能替换或删除。"),
    "bad_request": gettext_lazy("上传请求不完整：%(detail)s"),
    "version": gettext_lazy("不支持的上传协议版本。"),
}
STATUS = {
    "not_found": 404,
    "expired": 410,
    "not_uploading": 403,
    "offset_mismatch": 409,
    "chunk_too_large": 413,
    "checksum_mismatch": 460,
    "unsupported_checksum": 400,
    "quota_exceeded": 403,
    "locked": 403,
}
REFUSAL_STATUS = {"too_large": 413, "not_zip": 415}


def _tus_headers(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(code: str, **params) -> HttpResponse:
    message = str(PROTOCOL_MESSAGES[code]) % params if params else str(PROTOCOL_MESSAGES[code])
    return _tus_headers(json_error(STATUS.get(code, 400), code, message))


def _refused(error: ArchiveRefusedError) -> HttpResponse:
    return _tus_headers(json_error(REFUSAL_STATUS.get(error.code, 400), error.code, error.message))


def _bad_request(detail: str) -> HttpResponse:
    return _error("bad_request", detail=detail)


def _options_response() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Tus-Version"] = TUS_VERSION
    response["Tus-Extension"] = TUS_EXTENSIONS
    response["Tus-Max-Size"] = str(settings.EVIDENCE_MAX_BYTES)
    response["Tus-Checksum-Algorithm"] = ",".join(services.CHECKSUM_ALGORITHMS)
    return _tus_headers(response)


def parse_metadata(header: str) -> dict[str, str]:
    """``key base64value,key2 base64value2`` → {key: decoded text}; raises ValueError."""
    metadata: dict[str, str] = {}
    for pair in filter(None, (item.strip() for item in header.split(","))):
        key, _, value = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError) as error:
            raise ValueError(key) from error
    return metadata


def _header_int(request: HttpRequest, name: str) -> int | None:
    value = request.headers.get(name)
    if value is None or not value.isdigit():
        return None
    return int(value)


class TusMixin(EvidenceOwnerMixin):
    json_api = True
    http_method_names = ["post", "head", "patch", "delete", "options"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return _options_response()
        if request.headers.get("Tus-Resumable") != TUS_VERSION:
            response = _error("version")
            response.status_code = 412
            response["Tus-Version"] = TUS_VERSION
            return response
        return _tus_headers(super().dispatch(request, *args, **kwargs))


class TusCreateView(TusMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if "Upload-Defer-Length" in request.headers:
            return _bad_request(_("必须声明文件大小（Upload-Length）"))
        length = _header_int(request, "Upload-Length")
        if length is None:
            return _bad_request(_("缺少文件大小（Upload-Length）"))
        try:
            metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        except ValueError:
            return _bad_request(_("文件信息（Upload-Metadata）格式错误"))
        replaces = None
        if metadata.get("replaces"):
            replaces = get_archive_for_enterprise(self.enterprise, _uuid_or_none(metadata["replaces"]))
            if replaces is None:
                return _error("not_found")
        try:
            archive = services.create_upload(
                user=request.user,
                enterprise=self.enterprise,
                filename=metadata.get("filename", ""),
                length=length,
                replaces=replaces,
            )
        except ArchiveRefusedError as error:
            return _refused(error)
        except services.QuotaExceededError:
            return _error("quota_exceeded", limit=settings.EVIDENCE_MAX_ARCHIVES_PER_ENTERPRISE)
        except services.EvidenceUploadError as error:
            return _error(error.code)
        response = HttpResponse(status=201)
        response["Location"] = reverse("filings:evidence:tus-upload", args=[archive.public_id])
        response["Upload-Expires"] = http_date(archive.upload_expires_at.timestamp())
        response["Upload-Offset"] = "0"
        return response


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class TusUploadView(TusMixin, View):
    def _archive(self, public_id) -> EvidenceArchive | None:
        return get_archive_for_enterprise(self.enterprise, public_id)

    def head(self, request: HttpRequest, public_id) -> HttpResponse:
        archive = self._archive(public_id)
        if archive is None:
            return HttpResponse(status=404)
        if archive.state == EvidenceArchive.State.REFUSED:
            return HttpResponse(status=410)  # the client starts afresh rather than resuming
        response = HttpResponse(status=200)
        response["Upload-Offset"] = str(archive.offset)
        response["Upload-Length"] = str(archive.size)
        if archive.state == EvidenceArchive.State.UPLOADING and archive.upload_expires_at:
            response["Upload-Expires"] = http_date(archive.upload_expires_at.timestamp())
        return response

    def patch(self, request: HttpRequest, public_id) -> HttpResponse:
        archive = self._archive(public_id)
        if archive is None:
            return _error("not_found")
        if request.content_type != OFFSET_CONTENT_TYPE:
            response = _bad_request(_("内容类型必须为 application/offset+octet-stream"))
            response.status_code = 415
            return response
        offset = _header_int(request, "Upload-Offset")
        if offset is None:
            return _bad_request(_("缺少上传位置（Upload-Offset）"))
        length = _header_int(request, "Content-Length")
        if length is None:
            response = _bad_request(_("缺少数据长度（Content-Length）"))
            response.status_code = 411
            return response
        try:
            archive = services.append_chunk(
                archive=archive,
                offset=offset,
                length=length,
                body=request,
                checksum=request.headers.get("Upload-Checksum"),
            )
        except ArchiveRefusedError as error:
            return _refused(error)
        except services.OffsetMismatchError as error:
            response = _error(error.code)
            response["Upload-Offset"] = str(error.expected)
            return response
        except services.EvidenceUploadError as error:
            return _error(error.code)
        response = HttpResponse(status=204)
        response["Upload-Offset"] = str(archive.offset)
        if archive.state == EvidenceArchive.State.UPLOADING and archive.upload_expires_at:
            response["Upload-Expires"] = http_date(archive.upload_expires_at.timestamp())
        return response

    def delete(self, request: HttpRequest, public_id) -> HttpResponse:
        archive = self._archive(public_id)
        if archive is None:
            return _error("not_found")
        try:
            services.delete_evidence_archive(archive=archive, user=request.user)
        except services.ArchiveLockedError:
            return _error("locked")
        return HttpResponse(status=204)
