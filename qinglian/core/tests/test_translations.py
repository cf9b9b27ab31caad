"""Chinese first, English complete: every user-facing string has its Chinese translation.

Source strings are English. The test extracts the strings of the code as it is now
(makemessages on a copy of the tree) and checks that the committed zh_Hans
catalogue translates every one of them, with no fuzzy entry and matching
placeholders.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parents[3]
CATALOGUE = REPO / "qinglian" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def extracted_catalogue(tmp_path: Path) -> polib.POFile:
    tree = tmp_path / "qinglian"
    shutil.copytree(REPO / "qinglian", tree, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "qinglian.cli", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tree,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(tree / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_every_string_in_the_code_is_translated(tmp_path):
    current = extracted_catalogue(tmp_path)
    untranslated = [e.msgid for e in current if not e.translated() and not e.obsolete]
    assert not untranslated, (
        "untranslated strings (run `cd qinglian && qinglian makemessages -l zh_Hans` "
        f"and translate them): {untranslated}"
    )


def test_committed_catalogue_has_no_fuzzy_or_broken_entries():
    catalogue = polib.pofile(str(CATALOGUE))
    assert not catalogue.fuzzy_entries()
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(entry.msgid)) == set(PLACEHOLDER.findall(text)), entry
            if "python-format" in entry.flags:
                names = re.findall(r"%\((\w+)\)", entry.msgid)
                text % dict.fromkeys(names, 1)  # raises on a stray or broken % (1 fits %s and %d)
