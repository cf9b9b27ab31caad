"""The timeliness chart's geometry: one horizontal bar per village, no database.

Each bar is the village's due items, split into on time, late and overdue, each
part as wide as its share of what fell due; villages with nothing due get an
empty track. The template ``disclosures/work/timeliness_chart.svg`` draws it as
inline SVG (no JavaScript; readable on a phone, where the view box scales to
the screen), with a ``<title>`` on every bar and part for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from qinglian.disclosures.calendar import Status, Timeliness

# The view box, in user units: about a phone's width, so text stays at its size there.
WIDTH = 360
LABEL_WIDTH = 96
BAR_X = 100
BAR_WIDTH = 200
RATE_X = BAR_X + BAR_WIDTH + 6
ROW_HEIGHT = 24
BAR_HEIGHT = 16
LABEL_CHARS = 7  # longer names are cut (the full name is in the bar's title)

# Blue, amber, red: told apart with the common colour blindnesses too.
COLOURS = {Status.PUBLISHED: "#2563a8", Status.LATE: "#e0a100", Status.OVERDUE: "#c62828"}
TRACK = "#eceff3"


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    x: float
    width: float
    colour: str
    title: str


@dataclass(frozen=True)
class Bar:
    label: str  # the name as drawn (cut if long)
    name: str
    y: float
    text_y: float
    segments: list[Segment]
    rate_text: str
    title: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    title: str
    bar_x: int = BAR_X
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT
    label_x: int = LABEL_WIDTH
    rate_x: int = RATE_X
    track: str = TRACK


@dataclass(frozen=True)
class LegendEntry:
    status: str
    label: str
    colour: str


def legend() -> list[LegendEntry]:
    return [
        LegendEntry(status, str(Status.LABELS[status]), colour)
        for status, colour in COLOURS.items()
    ]


def rate_text(counts: Timeliness) -> str:
    return "—" if counts.rate is None else f"{round(counts.rate * 100)}%"


def _label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def timeliness_bars(rows: Sequence[tuple[str, Timeliness]], *, title: str) -> BarChart:
    """A bar per ``(name, counts)``, in the order given (the table's order)."""
    bars: list[Bar] = []
    for index, (name, counts) in enumerate(rows):
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        segments: list[Segment] = []
        x = float(BAR_X)
        parts = (
            (Status.PUBLISHED, counts.on_time),
            (Status.LATE, counts.late),
            (Status.OVERDUE, counts.overdue),
        )
        for status, count in parts:
            if not count:
                continue
            width = round(BAR_WIDTH * count / counts.due, 2)
            segments.append(
                Segment(
                    status=status,
                    count=count,
                    x=round(x, 2),
                    width=width,
                    colour=COLOURS[status],
                    title=f"{Status.LABELS[status]}: {count}",
                )
            )
            x += width
        bars.append(
            Bar(
                label=_label(name),
                name=name,
                y=y,
                text_y=index * ROW_HEIGHT + ROW_HEIGHT / 2 + 5,
                segments=segments,
                rate_text=rate_text(counts),
                title=_(
                    "%(name)s: %(on_time)s on time, %(late)s late, %(overdue)s overdue, "
                    "of %(due)s due"
                )
                % {
                    "name": name,
                    "on_time": counts.on_time,
                    "late": counts.late,
                    "overdue": counts.overdue,
                    "due": counts.due,
                },
            )
        )
    return BarChart(width=WIDTH, height=max(len(bars), 1) * ROW_HEIGHT, bars=bars, title=title)
