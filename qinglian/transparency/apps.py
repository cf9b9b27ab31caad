"""transparency: the append-only, verifiable log of everything published.

Every published record is a leaf of one RFC 9162 Merkle tree per deployment;
checkpoints are C2SP signed notes (Ed25519); proofs and C2SP tlog-tiles are
served under /log/ so that anyone holding an earlier checkpoint catches an edit
or a deletion after the fact. `merkle.py` and `notes.py` are pure; `verifier.py`
is the stand-alone auditor's client.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "qinglian.transparency"
    label = "transparency"
    verbose_name = _("Publication log")

    def ready(self) -> None:
        from qinglian.transparency import records

        records.register_builtin()
