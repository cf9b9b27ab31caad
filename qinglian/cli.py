"""The `qinglian` console command: Django's management commands under one name.

qinglian migrate        qinglian demo        qinglian serve
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qinglian.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "qinglian"
    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
