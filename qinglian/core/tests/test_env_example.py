"""`.env.example` lists every variable settings.py reads, and nothing it does not."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_env_example_matches_settings():
    settings_source = (REPO / "qinglian" / "settings.py").read_text()
    read = set(
        re.findall(r'(?:env_(?:str|bool|int|list)|_secret)\(\s*"([A-Z_]+)"', settings_source)
    )
    listed = set(re.findall(r"^([A-Z_]+)=", (REPO / ".env.example").read_text(), re.M))
    assert read == listed
