"""Account views: parse the request, call one service, respond (SPEC F-10…F-17)."""

from portal.accounts.views.login import LoginView, StaffLoginView, lockout_response
from portal.accounts.views.phone import PhoneChangeConfirmView, PhoneChangeView
from portal.accounts.views.realname import ManualVerificationView, PrivateFileView, RealNameView
from portal.accounts.views.recovery import RecoverEmailConfirmView, RecoverResetView, RecoverView
from portal.accounts.views.registration import AccountSettingsView, RegisterDoneView, RegisterView

__all__ = [
    "AccountSettingsView",
    "LoginView",
    "ManualVerificationView",
    "PhoneChangeConfirmView",
    "PhoneChangeView",
    "PrivateFileView",
    "RealNameView",
    "RecoverEmailConfirmView",
    "RecoverResetView",
    "RecoverView",
    "RegisterDoneView",
    "RegisterView",
    "StaffLoginView",
    "lockout_response",
]
