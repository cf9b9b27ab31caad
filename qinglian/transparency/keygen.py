"""Generate the log's signing key (no Django needed): `python -m qinglian.transparency.keygen NAME`.

Prints the signer key (keep it secret: TRANSPARENCY_SIGNING_KEY) on stdout and the
verifier key (publish it) on stderr.
"""

from __future__ import annotations

import sys

from qinglian.transparency.notes import Signer


def main(argv: list[str]) -> int:
    name = argv[0] if argv else "qinglian-log"
    signer = Signer.generate(name)
    print(signer.encoded())
    print(signer.vkey(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
