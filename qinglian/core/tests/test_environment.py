from __future__ import annotations

import pytest

from qinglian.core.environment import EnvironmentError_, env_bool, env_int, env_list


def test_booleans():
    assert env_bool("X", False, environ={"X": "Yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(EnvironmentError_, match="X must be one of"):
        env_bool("X", False, environ={"X": "maybe"})


def test_integers_with_bounds():
    assert env_int("N", 3, environ={"N": "7"}, minimum=1) == 7
    assert env_int("N", 3, environ={}) == 3
    with pytest.raises(EnvironmentError_, match="at least 1"):
        env_int("N", 3, environ={"N": "0"}, minimum=1)
    with pytest.raises(EnvironmentError_, match="whole number"):
        env_int("N", 3, environ={"N": "3.5"})


def test_lists():
    assert env_list("H", ["a"], environ={"H": " x.org, y.org ,"}) == ["x.org", "y.org"]
    assert env_list("H", ["a"], environ={}) == ["a"]
