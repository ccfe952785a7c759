"""The evidence pages: the list with 【上传】/【替换】/【删除】, the JSON status the page polls, the
owner's download. The upload itself is :mod:`.tus`.

:func:`evidence_component_context` builds what ``filings/_evidence_component.html`` needs, so the
filing form can embed the same component.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from portal.filings.models import EvidenceArchive

from . import services
from .access import EvidenceOwnerMixin, json_error
from .refusals import format_bytes
from .selectors import get_archive_for_enterprise, list_archives_for_enterprise
from .storage import evidence_storage

ROW_TEMPLATE = "filings/_evidence_archive_row.html"


# Texts the browser script shows; {done}, {total}, {percent} are filled in there.
SCRIPT_MESSAGES = {
    "progress": _lazy("已上传 {done} / {total}（{percent}%）"),
    "connecting": _lazy("正在连接服务器…"),
    "uploading": _lazy("正在上传…"),
    "paused": _lazy("已暂停，点【继续】接着上传。"),
    "retrying": _lazy("网络中断，正在重试…"),
    "offline": _lazy("网络连接中断，上传已暂停；恢复网络后将自动继续，也可点【继续】。"),
    "done": _lazy("上传完成，正在检查压缩包…"),
    "busy": _lazy("请等当前压缩包上传完成后再上传下一个。"),
    "failed": _lazy("上传失败，请稍后重试。"),
    "confirm_cancel": _lazy("确定取消上传吗？已上传的部分将被删除。"),
}


def evidence_component_context(
    request: HttpRequest, archives: list[EvidenceArchive], *, choose: bool = False, chosen: str = ""
) -> dict:
    """What the uploader needs. ``choose``: each passed archive gets a 【用于本次申报】 choice that
    belongs to the filing's submit form (``chosen`` is the public id checked)."""
    return {
        "archives": archives,
        "choose": choose,
        "chosen": chosen,
        "max_size_label": format_bytes(settings.EVIDENCE_MAX_BYTES),
        "max_archives": settings.EVIDENCE_MAX_ARCHIVES_PER_ENTERPRISE,
        "can_add": len(archives) < settings.EVIDENCE_MAX_ARCHIVES_PER_ENTERPRISE,
        "config": {
            "endpoint": reverse("filings:evidence:tus-create"),
            "csrfToken": get_token(request),
            "chunkBytes": settings.EVIDENCE_CHUNK_BYTES,
            "statusQuery": "?choose=1" if choose else "",
            "messages": {key: str(value) for key, value in SCRIPT_MESSAGES.items()},
        },
    }


def archive_status(request: HttpRequest, archive: EvidenceArchive) -> dict:
    row_context = {"archive": archive, "selectable": request.GET.get("choose") == "1"}
    return {
        "id": str(archive.public_id),
        "state": archive.state,
        "state_label": archive.get_state_display(),
        "offset": archive.offset,
        "size": archive.size,
        "percent": archive.percent,
        "refusal_code": archive.refusal_code,
        "refusal_message": archive.refusal_message,
        "problems": [
            {"code": problem["code"], "message": message}
            for problem, message in zip(archive.problems, archive.problem_messages, strict=True)
        ],
        "member_count": archive.member_count,
        "html": render_to_string(ROW_TEMPLATE, row_context, request=request),
    }


class EvidenceArchiveListView(EvidenceOwnerMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        archives = list(list_archives_for_enterprise(self.enterprise))
        context = {"enterprise": self.enterprise, "evidence": evidence_component_context(request, archives)}
        return render(request, "filings/evidence_archive_list.html", context)


class EvidenceArchiveStatusView(EvidenceOwnerMixin, View):
    json_api = True

    def get(self, request: HttpRequest, public_id) -> HttpResponse:
        archive = get_archive_for_enterprise(self.enterprise, public_id)
        if archive is None:
            return json_error(404, "not_found", _("压缩包不存在或已删除。"))
        response = JsonResponse(archive_status(request, archive), json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response


class EvidenceArchiveDeleteView(EvidenceOwnerMixin, View):
    def post(self, request: HttpRequest, public_id) -> HttpResponse:
        archive = get_archive_for_enterprise(self.enterprise, public_id)
        if archive is None:
            messages.info(request, _("该压缩包已删除。"))
            return redirect("filings:evidence:list")
        try:
            services.delete_evidence_archive(archive=archive, user=request.user)
        except services.ArchiveLockedError:
            messages.error(request, _("“%(name)s”已随申报提交，不能删除。") % {"name": archive.filename})
        else:
            messages.success(request, _("已删除“%(name)s”。") % {"name": archive.filename})
        return redirect("filings:evidence:list")


class EvidenceArchiveDownloadView(EvidenceOwnerMixin, View):
    def get(self, request: HttpRequest, public_id) -> HttpResponse:
        archive = get_archive_for_enterprise(self.enterprise, public_id)
        if archive is None or archive.state != EvidenceArchive.State.PASSED or not archive.stored_name:
            raise Http404
        handle = evidence_storage().open(archive.stored_name, "rb")
        return FileResponse(
            handle, as_attachment=True, filename=archive.filename, content_type="application/zip"
        )
