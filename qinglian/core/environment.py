"""Typed readers for settings taken from the environment.

Each reader refuses a malformed value with a message naming the variable, so a
mistyped deployment fails at start-up instead of running with a silent default.
No Django import here: settings.py uses these before Django is configured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


class EnvironmentError_(ValueError):
    """A variable is present but cannot be read as the type asked for."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvironmentError_(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EnvironmentError_(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise EnvironmentError_(f"{name} must be at least {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise EnvironmentError_(f"{name} must be at most {maximum}; got {value}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
