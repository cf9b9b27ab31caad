"""Name pools for the demo county, and a seeded drawer over them.

People's surnames come with their national frequencies and given names from
Faker's ``zh_CN`` person data; the lists are read once at import, so drawing a
name in a hot loop costs a few ``random`` calls, not a Faker call. Places and
firms are composed from the short lists below.
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

from faker.providers.person.zh_CN import Provider as _ChinesePeople

SURNAMES: tuple[str, ...] = tuple(_ChinesePeople.last_names)
_SURNAME_CUMULATIVE: tuple[float, ...] = tuple(accumulate(_ChinesePeople.last_names.values()))

MALE_GIVEN_NAMES: tuple[str, ...] = tuple(_ChinesePeople.first_names_male)
FEMALE_GIVEN_NAMES: tuple[str, ...] = tuple(_ChinesePeople.first_names_female)
_MALE_SINGLE = tuple(name for name in MALE_GIVEN_NAMES if len(name) == 1)
_FEMALE_SINGLE = tuple(name for name in FEMALE_GIVEN_NAMES if len(name) == 1)

# First characters of two-character given names, by generation; siblings often
# share one (the generation character of a family's line).
_MALE_GENERATION_OLD = "建国志永德文明春海金家学立长振庆树宝福"
_MALE_GENERATION_YOUNG = "子浩俊宇嘉思晨一博梓天佳家鸿泽"
_FEMALE_GENERATION_OLD = "秀玉桂丽美春金凤淑彩月翠爱小"
_FEMALE_GENERATION_YOUNG = "思雨梓欣佳子诗晓可一梦雅语"

TOWNSHIP_NAME_HEADS = "石梅桃柳松竹龙凤白黄金银长新大东西南北高平安永兴和清双三横乌溪枫杨"
TOWNSHIP_NAME_TAILS = "山岭溪河桥坪塘湖源口坑岗林田浦湾头庄埠洋峰"
VILLAGE_NAME_HEADS = (
    "上下前后东西南北大小新老高长黄白青石柳桃杨李王张陈林沙泉水马牛龙凤金银竹松梅茶花荷枫溪山湖塘"
)
VILLAGE_NAME_TAILS = "塘桥头湾坑岭坪口庄垟田坞源洋埠岙村店园家圩墩岗洲湖溪山林坝寨冲堡畈"
GROUP_NUMERALS = "一二三四五六七八九"


def _cut(text: str, width: int) -> tuple[str, ...]:
    """``text`` cut into pieces of ``width`` characters."""
    return tuple(text[i : i + width] for i in range(0, len(text), width))


FIRM_TRADE_NAMES = _cut(
    "鑫达宏盛华源恒通兴旺永安瑞丰隆盛金诚信达广源泰和顺发利民新宇"
    "汇丰天成福润康达中兴万和润泽佳禾绿源青禾丰收众信诚信长青盛世",
    2,
)
# (business, kind): kind 1 is a company (enterprise), 3 a farmers' cooperative.
FIRM_BUSINESSES: tuple[tuple[str, str, int], ...] = (
    ("建筑工程", "有限公司", 1),
    ("土石方工程", "有限公司", 1),
    ("水利工程", "有限公司", 1),
    ("园林绿化工程", "有限公司", 1),
    ("道路工程", "有限公司", 1),
    ("劳务服务", "有限公司", 1),
    ("建材", "有限公司", 1),
    ("农业开发", "有限公司", 1),
    ("农机服务", "有限公司", 1),
    ("物流", "有限公司", 1),
    ("电气安装", "有限公司", 1),
    ("装饰工程", "有限公司", 1),
    ("茶叶", "专业合作社", 3),
    ("果蔬", "专业合作社", 3),
    ("水稻种植", "专业合作社", 3),
    ("生猪养殖", "专业合作社", 3),
    ("食品", "有限公司", 1),
    ("商贸", "有限公司", 1),
)
# Businesses that bid for village works.
CONTRACTOR_BUSINESSES = frozenset(
    {
        "建筑工程",
        "土石方工程",
        "水利工程",
        "园林绿化工程",
        "道路工程",
        "劳务服务",
        "电气安装",
        "装饰工程",
    }
)

# Mobile prefixes: 13x-19x, as carriers hand them out.
PHONE_PREFIXES = _cut(
    "130131132133134135136137138139147150151152153155156157158159"
    "166173177178180181182183185186187188189191198199",
    3,
)


class NameDrawer:
    """Draws names of people, phone numbers and such from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def surname(self) -> str:
        total = _SURNAME_CUMULATIVE[-1]
        return SURNAMES[bisect(_SURNAME_CUMULATIVE, self.rng.random() * total)]

    def generation_character(self, *, female: bool, birth_year: int) -> str:
        if female:
            pool = _FEMALE_GENERATION_YOUNG if birth_year >= 1985 else _FEMALE_GENERATION_OLD
        else:
            pool = _MALE_GENERATION_YOUNG if birth_year >= 1985 else _MALE_GENERATION_OLD
        return self.rng.choice(pool)

    def given_name(self, *, female: bool, generation: str = "") -> str:
        """One or two characters; with ``generation``, that character comes first."""
        rng = self.rng
        if generation:
            return generation + rng.choice(_FEMALE_SINGLE if female else _MALE_SINGLE)
        return rng.choice(FEMALE_GIVEN_NAMES if female else MALE_GIVEN_NAMES)

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"
