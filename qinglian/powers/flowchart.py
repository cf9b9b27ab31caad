"""An item's procedure drawn as an SVG flowchart: one box per step, top to bottom.

Plain SVG, no script and no third-party code: boxes in the order of the item's
steps, arrows between them, each box the step's number, its title (wrapped to
the box, each character measured: CJK full width, Latin about half) and its
rules (body, quorum, pass rule, publicity days). A step taken only when required
is drawn dashed. The chart is narrow enough for a phone and scales with its
``viewBox``; ``role="img"`` with ``<title>`` and ``<desc>`` makes it readable
to a screen reader.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from qinglian.powers.steps import Step

WIDTH = 320
MARGIN = 16
BOX_WIDTH = WIDTH - 2 * MARGIN
PADDING = 10
NUMBER_WIDTH = 26
TEXT_WIDTH = BOX_WIDTH - 2 * PADDING - NUMBER_WIDTH
TITLE_SIZE = 15
NOTE_SIZE = 12
TITLE_LINE = 20
NOTE_LINE = 16
GAP = 26
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"

FILL_BY_KIND = {
    "meeting": "#e3effa",
    "proposal": "#e3effa",
    "publicity": "#fff4d6",
    "disclosure": "#fff4d6",
    "decision": "#ece6f7",
    "review": "#e6f4ea",
    "investigation": "#e6f4ea",
}
FILL = "#f4f4f4"


def char_width(char: str, size: float) -> float:
    """Rendered width of one character: CJK and full-width forms are square."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return size
    if char in " .,:;'()|!i·":
        return size * 0.35
    if char.isupper() or char in "mw%@":
        return size * 0.75
    # Latin letters and digits, measured on the wide side: the reader's fallback
    # font may be wider than Noto Sans, and a box must never be overrun.
    return size * 0.62


def text_width(text: str, size: float) -> float:
    return sum(char_width(char, size) for char in text)


def _units(text: str) -> list[str]:
    """Pieces a line may break between: each CJK character, each Latin word, each space."""
    units: list[str] = []
    word = ""
    for char in text:
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        if char == " " or wide:
            if word:
                units.append(word)
                word = ""
            units.append(char)
        else:
            word += char
    if word:
        units.append(word)
    return units


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (a too-long word is cut)."""
    lines: list[str] = []
    line = ""
    for unit in _units(text):
        if text_width(line + unit, size) <= width:
            line += unit
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = "" if unit == " " else unit
        while text_width(line, size) > width:
            cut = len(line)
            while cut > 1 and text_width(line[:cut], size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _text(x: float, y: float, content: str, *, size: int, css: str, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text class="{css}" x="{x:g}" y="{y:g}" font-size="{size}"{weight}>'
        f"{escape(content)}</text>"
    )


# A matter's step on its chart: the outline says how it stands.
STROKE_BY_STATUS = {
    "done": ("#2e7d32", 3.0),
    "exception": ("#c62828", 3.0),
    "rejected": ("#c62828", 3.0),
}


def flowchart_svg(
    title: str,
    steps: Sequence[Step],
    *,
    ident: str,
    marks: Mapping[int, tuple[str, str]] | None = None,
) -> str:
    """The SVG of a procedure; ``ident`` keeps the ids unique when several share a page.

    ``marks`` draws a matter on the chart: for a step's number, its status
    (``done``, ``exception``, ``rejected``…: the box's outline) and the words said
    in the box under its rules (so the status is not told by colour alone).
    """
    marks = marks or {}
    parts: list[str] = []
    y = float(MARGIN)
    for index, step in enumerate(steps):
        status, words = marks.get(step.number, ("", ""))
        notes = [*step.notes, words] if words else step.notes
        title_lines = wrap(step.title, TITLE_SIZE, TEXT_WIDTH)
        note_lines = wrap(" · ".join(notes), NOTE_SIZE, TEXT_WIDTH) if notes else []
        height = 2 * PADDING + len(title_lines) * TITLE_LINE + len(note_lines) * NOTE_LINE
        dashed = ' stroke-dasharray="6 4"' if step.optional else ""
        fill = FILL_BY_KIND.get(step.kind, FILL)
        stroke, stroke_width = STROKE_BY_STATUS.get(status, ("#46607a", 1.5))
        status_attribute = f" data-status={quoteattr(status)}" if status else ""
        group = [
            f'<g class="step" data-step={quoteattr(step.code)} '
            f"data-kind={quoteattr(step.kind)}{status_attribute}>",
            f'<rect x="{MARGIN}" y="{y:g}" width="{BOX_WIDTH}" height="{height:g}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width:g}"{dashed}/>',
            _text(
                MARGIN + PADDING,
                y + PADDING + TITLE_SIZE,
                f"{step.number}",
                size=TITLE_SIZE,
                css="number",
                bold=True,
            ),
        ]
        text_x = MARGIN + PADDING + NUMBER_WIDTH
        line_y = y + PADDING + TITLE_SIZE
        for line in title_lines:
            group.append(_text(text_x, line_y, line, size=TITLE_SIZE, css="label", bold=True))
            line_y += TITLE_LINE
        line_y += NOTE_SIZE - TITLE_SIZE + (NOTE_LINE - NOTE_SIZE) / 2
        for line in note_lines:
            group.append(_text(text_x, line_y, line, size=NOTE_SIZE, css="note"))
            line_y += NOTE_LINE
        group.append("</g>")
        parts.append("".join(group))
        y += height
        if index < len(steps) - 1:
            middle = WIDTH / 2
            parts.append(
                f'<path class="arrow" d="M{middle:g} {y + 2:g} V{y + GAP - 8:g}" '
                f'stroke="#46607a" stroke-width="1.5" fill="none"/>'
                f'<path d="M{middle - 5:g} {y + GAP - 9:g} L{middle + 5:g} {y + GAP - 9:g} '
                f'L{middle:g} {y + GAP - 2:g} Z" fill="#46607a"/>'
            )
            y += GAP
    total = y + MARGIN
    description = "; ".join(
        f"{step.number}. {step.title}"
        + (f" ({', '.join(step.notes)})" if step.notes else "")
        + (f" — {marks[step.number][1]}" if marks.get(step.number, ("", ""))[1] else "")
        for step in steps
    )
    title_id, desc_id = f"flow-{ident}-title", f"flow-{ident}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {total:g}" '
        f'width="{WIDTH}" height="{total:g}" style="max-width:100%;height:auto" '
        f'font-family="{FONT}" fill="#1b2733">'
        f'<title id="{title_id}">{escape(_("Procedure: %(title)s") % {"title": title})}</title>'
        f'<desc id="{desc_id}">{escape(description or _("No steps."))}</desc>'
        + "".join(parts)
        + "</svg>"
    )
