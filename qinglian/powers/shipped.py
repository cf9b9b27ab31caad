"""The shipped power list (domain.md §15.2–15.3): reading the files in ``data/``.

Pure functions without models, so the data migration and the tests read the
files the same way. A procedure is written ``PR>CO>VR?>RS(body=assembly;quorum=…)``:
step codes of the library in order, ``?`` for a step taken only when required,
and parameters that override the library step's own.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
STEP_PATTERN = re.compile(r"^(?P<code>[A-Z]{2})(?P<optional>\?)?(?:\((?P<params>[^)]*)\))?$")


def _value(text: str) -> Any:
    if text.isdigit():
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    return text


def parse_steps(text: str) -> list[dict[str, Any]]:
    """``"PR>CO>VR?>RS(body=assembly)"`` → the steps as stored on an item."""
    steps: list[dict[str, Any]] = []
    for part in filter(None, (p.strip() for p in text.split(">"))):
        match = STEP_PATTERN.match(part)
        if match is None:
            raise ValueError(f"not a procedure step: {part!r}")
        params: dict[str, Any] = {}
        for pair in filter(None, (match["params"] or "").split(";")):
            key, _, value = pair.partition("=")
            params[key.strip()] = _value(value.strip())
        steps.append({"step": match["code"], "optional": bool(match["optional"]), "params": params})
    return steps


def library_rows() -> list[dict[str, Any]]:
    with (DATA / "steps.json").open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = json.load(handle)
    return rows


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def positive_rows() -> list[dict[str, Any]]:
    return [{**row, "steps": parse_steps(row["steps"])} for row in _csv("positive.csv")]


def negative_rows() -> list[dict[str, str]]:
    return _csv("negative.csv")
