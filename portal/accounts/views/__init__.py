"""Account views: parse the request, call one service, respond (SPEC F-10…F-17)."""

from portal.accounts.views.phone import PhoneChangeConfirmView, PhoneChangeView
from portal.accounts.views.realname import ManualVerificationView, PrivateFileView, RealNameView
from portal.accounts.views.recovery import RecoverEmailConfirmView, RecoverResetView, RecoverView
from portal.accounts.views.registration import (
    AccountSettingsView,
    LoginView,
    RegisterDoneView,
    RegisterView,
    lockout_response,
)

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
    "lockout_response",
]
