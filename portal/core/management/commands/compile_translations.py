"""Compile the project's gettext catalogs (``locale/*/LC_MESSAGES/*.po`` → ``.mo``) in pure Python.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``, which a fresh machine may lack; polib
(pinned in requirements.txt) writes the same .mo files. ``make setup`` runs this, so a fresh clone
gets its translations without a system package. Only catalogs newer than their .mo are rebuilt.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (pure Python, no msgfmt needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="rebuild every .mo")

    def handle(self, *args, force: bool = False, **options):
        compiled = 0
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalog = polib.pofile(str(po_path))
                errors = [entry.msgid for entry in catalog if entry.fuzzy]
                if errors:
                    raise CommandError(f"{po_path}: fuzzy entries would be left out: {errors[:3]}")
                catalog.save_as_mofile(str(mo_path))
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {mo_path}")
        if options["verbosity"]:
            self.stdout.write(f"translations: {compiled} catalog(s) compiled")
