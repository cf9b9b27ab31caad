"""``qinglian verify <base-url> --vkey … --state …``: the stand-alone log verifier.

A thin wrapper: the work, the arguments and the verdict are those of
``python -m qinglian.transparency.verifier``, which needs no Django.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qinglian.transparency import verifier


class Command(BaseCommand):
    help = verifier.DESCRIPTION
    requires_system_checks: list[str] = []  # an auditor's tool: it reads no local data

    def add_arguments(self, parser: CommandParser) -> None:
        verifier.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verifier.run(
            options["base_url"],
            vkey=options["vkey"],
            state=options["state"],
            index=options["index"],
            timeout=options["timeout"],
        )
        if not verdict.ok:
            raise CommandError(verdict.line(), returncode=1)
        self.stdout.write(verdict.line())
