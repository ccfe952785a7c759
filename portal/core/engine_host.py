"""The portal's side of the form engine's host contract (see docs/forms-engine.md, "Host contract").

The engine imports nothing of the portal; it calls what the settings name:

* ``FORMS_ENGINE_START_GUARD`` → :func:`form_start_guard` (below): only verified 法人 accounts
  fill in the self-service forms (FAQ 2, :func:`portal.accounts.access.form_start_guard`), and only
  with a complete enterprise profile (F-31, :func:`portal.enterprises.access.profile_guard`);
* ``FORMS_ENGINE_FILE_ACCESS`` → :func:`can_read_submission_files` (below);
* ``FORMS_ENGINE_UPLOAD_STORAGE`` → the ``forms_engine_uploads`` storage:
  :class:`portal.core.storage.PrivateStorage` (``PRIVATE_MEDIA_ROOT``, outside MEDIA_ROOT, no URL);
  the engine keeps its files under ``forms/`` there, apart from accounts' and filings' trees.
* ``FORMS_ENGINE_SUBMIT_HOOKS`` → ``category:assessment``:
  :func:`portal.assessments.services.record_assessment_result` (the filings add theirs).
"""

from __future__ import annotations

from typing import Any

from portal.accounts.access import form_start_guard as account_guard
from portal.core.scopes import covers, staff_region_code
from portal.enterprises.access import profile_guard
from portal.enterprises.selectors import enterprise_for_user, enterprise_province_code


def form_start_guard(request: Any, definition: Any) -> Any:
    """Who may start a self-service form: the accounts check first (in the order a person meets
    them), then the profile check; None when both let the user in."""
    refusal = account_guard(request, definition)
    return refusal if refusal is not None else profile_guard(request, definition)


def submission_province(submission: Any) -> str:
    """The ``xx0000`` province of the enterprise that filled in ``submission`` ("" if unknown)."""
    province = (submission.context or {}).get("province")
    if isinstance(province, str) and len(province) == 6 and province.isdigit():
        return province
    enterprise = enterprise_for_user(submission.owner)
    # the one rule (注册地, else the USCC's registration authority), as everywhere else
    return enterprise_province_code(enterprise) if enterprise is not None else ""


def can_read_submission_files(user: Any, submission: Any) -> bool:
    """Staff may download a submission's files when their scope covers the enterprise's province
    (a superuser: every province) and they may view submissions. The owner is admitted by the
    engine itself."""
    if not (user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)):
        return False
    if not user.has_perm("forms_engine.view_formsubmission"):
        return False
    # staff_region_code, not the accounts resolver itself: only it knows that a superuser's scope
    # is the whole country (the resolver answers "" without a StaffRegion: a 404 for superusers)
    return covers(staff_region_code(user), submission_province(submission))
