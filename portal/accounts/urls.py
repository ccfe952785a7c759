"""/accounts/… (SPEC F-64): stable paths users bookmark."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal.accounts import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/done/", views.RegisterDoneView.as_view(), name="register_done"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", views.AccountSettingsView.as_view(), name="settings"),
    path("realname/", views.RealNameView.as_view(), name="realname"),
    path("realname/manual/", views.ManualVerificationView.as_view(), name="realname_manual"),
    path("files/<str:kind>/<int:pk>/<str:field>/", views.PrivateFileView.as_view(), name="private_file"),
    path("phone-change/", views.PhoneChangeView.as_view(), name="phone_change"),
    path(
        "phone-change/confirm/<str:token>/",
        views.PhoneChangeConfirmView.as_view(),
        name="phone_change_confirm",
    ),
    path("recover/", views.RecoverView.as_view(), name="recover"),
    path("recover/reset/", views.RecoverResetView.as_view(), name="recover_reset"),
    path(
        "recover/email/<uidb64>/<token>/",
        views.RecoverEmailConfirmView.as_view(),
        name="recover_email_confirm",
    ),
]
