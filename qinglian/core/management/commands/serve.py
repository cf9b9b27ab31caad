"""Serve Qinglian: gunicorn for the web and the huey worker for jobs, side by side.

In production run them as two services instead (see docs/operations.md); this
command is what `make demo` and the browser tests use. It stops both when either
exits or when it receives SIGINT or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web application (gunicorn) and the job worker (huey)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2"))
        )
        parser.add_argument("--no-worker", action="store_true", help="serve the web only")

    def handle(self, *args: Any, **options: Any) -> None:
        bind = f"{options['host']}:{options['port']}"
        web = [
            sys.executable, "-m", "gunicorn", "qinglian.wsgi:application",
            "--bind", bind,
            "--workers", str(options["web_workers"]),
            "--access-logfile", "-",
            # No client address, user agent or referrer: a reporter's visit leaves
            # no trace that could single them out (security.md §2.6).
            "--access-logformat", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
            "--graceful-timeout", "10",
            "--no-control-socket",
        ]  # fmt: skip
        commands = [web]
        if not options["no_worker"]:
            commands.append([sys.executable, "-m", "qinglian.cli", "run_huey", "--quiet"])
        children = [subprocess.Popen(cmd) for cmd in commands]  # noqa: S603
        self.stdout.write(f"Qinglian is serving on http://{bind}/ (Ctrl+C stops it)")

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
