"""Set up a working portal in one idempotent step (used by `make run` and `make test`).

Loads the reference data, the shipped form definitions and the demo content, then makes sure
the demo superuser exists and prints its credentials. Running it again creates no duplicates.
"""

import os

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_ADMIN_USERNAME = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
DEMO_ADMIN_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "Portal-Demo-2026")


class Command(BaseCommand):
    help = "Load reference data, form definitions and demo content; ensure the demo admin exists."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="skip demo content and demo admin")

    def handle(self, *args, no_demo: bool = False, **options):
        call_command("load_reference_data", verbosity=options["verbosity"])
        call_command("forms", "load", verbosity=options["verbosity"])
        if no_demo:
            return
        call_command("seed_demo_content", verbosity=options["verbosity"])
        call_command("seed_demo_enterprises", verbosity=options["verbosity"])
        self._ensure_demo_admin()

    @transaction.atomic
    def _ensure_demo_admin(self) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_ADMIN_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.com"},
        )
        if not user.check_password(DEMO_ADMIN_PASSWORD) or not user.is_superuser:
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(DEMO_ADMIN_PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo admin {state}: open /admin/ and sign in as "
                f"username={DEMO_ADMIN_USERNAME} password={DEMO_ADMIN_PASSWORD}".format(
                    state="created" if created else "ready"
                )
            )
        )
