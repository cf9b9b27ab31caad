"""`qinglian village_pages_render`: render every village's public page ahead of its visitors.

Renders only the pages that are stale (another day, or a new publication of the
village) or missing; run it after building a county (the hourly job runs it too).
Idempotent: a second run renders nothing. After a release that changed the
templates or the static files, `--all` renders every page again.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from qinglian.disclosures.pages import village_pages_render


class Command(BaseCommand):
    help = "Render the public page of every village whose stored page is stale or missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)
        parser.add_argument(
            "--all",
            action="store_true",
            help="render every village's page, fresh or not (after a release)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rendered = village_pages_render(language=options["language"], every=options["all"])
        self.stdout.write(
            f"rendered {rendered:,} village pages in {time.perf_counter() - started:.1f} s"
        )
