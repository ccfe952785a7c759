"""Set up a working portal in one idempotent step (used by `make run` and `make test`).

Loads the reference data and the shipped form definitions; then, where demo data is allowed,
the demo content, the demo enterprises and the demo superuser, and prints their credentials.
Running it again creates no duplicates.

Demo users have published passwords, so they are created only under settings that allow them
(``PORTAL_DEMO_DATA``: development and tests) or when asked explicitly with ``--demo``; the
production settings refuse them by default (issue 8).
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_ADMIN_USERNAME = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
DEMO_ADMIN_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "Portal-Demo-2026")
# the admin's login sends its SMS code here (in development: a file in sms-outbox/)
DEMO_ADMIN_PHONE = os.environ.get("DEMO_ADMIN_PHONE", "13900000100")


class Command(BaseCommand):
    help = "Load reference data and form definitions; where allowed, demo content, demo enterprises and demo admin."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--no-demo", action="store_true", help="skip demo content and demo users")
        group.add_argument(
            "--demo",
            action="store_true",
            help="create demo content and demo users even where settings do not allow them",
        )

    def handle(self, *args, no_demo: bool = False, demo: bool = False, **options):
        call_command("load_reference_data", verbosity=options["verbosity"])
        call_command("forms", "load", verbosity=options["verbosity"])
        if no_demo:
            return
        if not (demo or settings.PORTAL_DEMO_DATA):
            self.stdout.write(
                self.style.WARNING(
                    "Demo content and demo users skipped: these settings do not allow demo data "
                    "(PORTAL_DEMO_DATA). Pass --demo to create them anyway; their passwords are public."
                )
            )
            return
        call_command("seed_demo_content", verbosity=options["verbosity"])
        call_command("seed_demo_enterprises", demo=True, verbosity=options["verbosity"])
        call_command("seed_demo_filing_windows", verbosity=options["verbosity"])
        self._ensure_demo_admin()

    @transaction.atomic
    def _ensure_demo_admin(self) -> None:
        from portal.accounts.models import Account

        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_ADMIN_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.com"},
        )
        if not user.check_password(DEMO_ADMIN_PASSWORD) or not user.is_superuser:
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(DEMO_ADMIN_PASSWORD)
            user.save()
        holder = Account.objects.filter(phone=DEMO_ADMIN_PHONE).exclude(user=user).first()
        if holder is not None:
            raise CommandError(
                f"DEMO_ADMIN_PHONE {DEMO_ADMIN_PHONE} is bound to {holder.user.get_username()}; "
                "choose another one."
            )
        Account.objects.update_or_create(user=user, defaults={"phone": DEMO_ADMIN_PHONE})
        self.stdout.write(
            self.style.SUCCESS(
                "Demo admin {state}: open /admin/ and sign in as username={username} password={password}; "
                "the SMS code goes to {phone} ({where})".format(
                    state="created" if created else "ready",
                    username=DEMO_ADMIN_USERNAME,
                    password=DEMO_ADMIN_PASSWORD,
                    phone=DEMO_ADMIN_PHONE,
                    where=f"development: each SMS is a file in {settings.SMS_FILE_PATH}/, the newest holds the code"
                    if settings.SMS_BACKEND.endswith("file.SmsBackend")
                    else f"sent through {settings.SMS_BACKEND}",
                )
            )
        )
