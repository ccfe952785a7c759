"""Account services (writes): registration and login, 实名认证, 人工实名认证 and 认领, 手机号修改,
账号找回, and the 【获取验证码】 of each.

Each service is keyword-only, owns its transaction and writes the audit entry
(``wagtail.log_actions.log``; actions registered in ``wagtail_hooks``); mail and notification
SMS leave after commit (``notify``). Errors a user can fix are ``ValidationError`` with a
``code``; permission problems raise ``PermissionDenied``.
"""

from portal.accounts.services.phone import (
    PHONE_CHANGE_SALT,
    confirm_phone_change_by_email,
    decide_phone_change,
    make_phone_change_token,
    pending_phone_change_for_token,
    request_phone_change,
    send_phone_change_code,
)
from portal.accounts.services.realname import (
    decide_realname_verification,
    province_code_for,
    request_manual_verification,
    submit_realname_verification,
)
from portal.accounts.services.recovery import (
    find_account_for_recovery,
    record_password_reset_by_email,
    reset_password_by_sms,
    send_recovery_code,
    send_recovery_email,
)
from portal.accounts.services.registration import (
    ENTERPRISE,
    STAFF,
    authenticate_with_sms,
    has_admin_access,
    register_account,
    remaining_login_tries,
    send_login_code,
    send_registration_code,
)

__all__ = [
    "ENTERPRISE",
    "PHONE_CHANGE_SALT",
    "STAFF",
    "authenticate_with_sms",
    "confirm_phone_change_by_email",
    "decide_phone_change",
    "decide_realname_verification",
    "find_account_for_recovery",
    "has_admin_access",
    "make_phone_change_token",
    "pending_phone_change_for_token",
    "province_code_for",
    "record_password_reset_by_email",
    "register_account",
    "remaining_login_tries",
    "request_manual_verification",
    "request_phone_change",
    "reset_password_by_sms",
    "send_login_code",
    "send_phone_change_code",
    "send_recovery_code",
    "send_recovery_email",
    "send_registration_code",
    "submit_realname_verification",
]
