"""Load (or reload) regions and industries from fixtures/reference/ — idempotent."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from portal.reference.services import FIXTURES_DIR, load_industries, load_regions


class Command(BaseCommand):
    help = "Load regions (GB/T 2260) and industries (GB/T 4754-2017) from fixtures/reference/."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures-dir", type=Path, default=FIXTURES_DIR)
        parser.add_argument(
            "--reset-categories",
            action="store_true",
            help="overwrite questionnaire categories edited by staff with the fixture's mapping",
        )

    def handle(self, *args, fixtures_dir: Path, reset_categories: bool, **options):
        for label, loader, kwargs in (
            ("regions", load_regions, {}),
            ("industries", load_industries, {"reset_categories": reset_categories}),
        ):
            started = time.monotonic()
            result = loader(path=fixtures_dir / f"{label}.json", **kwargs)
            elapsed = time.monotonic() - started
            counts = ", ".join(f"{level} {count}" for level, count in result.counts.items())
            self.stdout.write(
                f"{label}: {counts}; created {result.created}, updated {result.updated}, "
                f"unchanged {result.unchanged} ({elapsed:.2f} s)"
            )
            if result.kept_staff_categories:
                self.stdout.write(f"{label}: kept {result.kept_staff_categories} staff-set categories")
            if result.not_in_fixture:
                self.stdout.write(
                    self.style.WARNING(
                        f"{label}: {len(result.not_in_fixture)} rows are not in the fixture any more "
                        f"(kept): {', '.join(result.not_in_fixture[:20])}"
                    )
                )
