"""Personal data masked before a list is published (domain.md §4.3: "find my name", masked).

A villager can still recognise their own line (surname and last characters,
last digits) while a stranger learns nothing that identifies anyone.
"""

from __future__ import annotations

import re

# Columns whose values are people's names, by their header (Chinese or English).
_NAME_HEADERS = ("姓名", "名字", "户主", "收款人", "领取人", "name", "recipient", "payee")
_ID_NUMBER = re.compile(r"(?<![0-9])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9Xx])")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d)(\d{4})(\d{4})(?![0-9])")
_ACCOUNT = re.compile(r"(?<![0-9])(\d{8,15})(\d{4})(?![0-9])")


def mask_name(name: str) -> str:
    """张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_numbers(text: str) -> str:
    """ID numbers keep their first 4 and last 4 characters, mobiles their first 3 and
    last 4 digits, bank accounts their last 4."""
    text = _ID_NUMBER.sub(lambda m: m[1][:4] + "*" * 10 + m[3][-4:], text)
    text = _MOBILE.sub(lambda m: m[1] + "****" + m[3], text)
    return _ACCOUNT.sub(lambda m: "*" * len(m[1]) + m[2], text)


def is_name_column(header: str) -> bool:
    header = header.strip().lower()
    return any(word in header for word in _NAME_HEADERS)


def mask_table(columns: list[str], rows: list[list[str]]) -> list[list[str]]:
    names = {i for i, header in enumerate(columns) if is_name_column(header)}
    return [
        [mask_name(cell) if i in names else mask_numbers(cell) for i, cell in enumerate(row)]
        for row in rows
    ]
