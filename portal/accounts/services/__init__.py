"""Account services (writes): registration and login, 实名认证 and 人工实名认证, 手机号修改, 账号找回.

Each service is keyword-only, owns its transaction and writes the audit entry
(``wagtail.log_actions.log``; actions registered in ``wagtail_hooks``). Errors a user can fix are
``ValidationError`` with a ``code``; permission problems raise ``PermissionDenied``.
"""

from portal.accounts.services.phone import (
    PHONE_CHANGE_SALT,
    confirm_phone_change_by_email,
    decide_phone_change,
    make_phone_change_token,
    request_phone_change,
)
from portal.accounts.services.realname import (
    decide_realname_verification,
    province_code_for,
    request_manual_verification,
    submit_realname_verification,
)
from portal.accounts.services.recovery import (
    find_account_for_recovery,
    notify_password_reset,
    record_password_reset_by_email,
    reset_password_by_sms,
)
from portal.accounts.services.registration import authenticate_with_sms, register_account

__all__ = [
    "PHONE_CHANGE_SALT",
    "authenticate_with_sms",
    "confirm_phone_change_by_email",
    "decide_phone_change",
    "decide_realname_verification",
    "find_account_for_recovery",
    "make_phone_change_token",
    "notify_password_reset",
    "province_code_for",
    "record_password_reset_by_email",
    "register_account",
    "request_manual_verification",
    "request_phone_change",
    "reset_password_by_sms",
    "submit_realname_verification",
]
