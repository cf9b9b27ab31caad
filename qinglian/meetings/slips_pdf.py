"""Scoring slips as an A4 PDF: eight slips a page, to print and cut. No database.

Each slip carries the village's name, the meeting's quarter, a QR code of the
scoring page's address with the code in it (``?t=<code>``, as the printable page
of ``work_views.slips``), the code in groups of four for typing, and one line of
instructions. The codes exist only in the answer that issues them (only their
keyed hashes are stored), so the PDF is made on that answer and never kept.

The QR code is drawn as vector squares (``core.pdf.draw_qr``, as on the village signs) and every
text is real text in Noto Sans SC (``core.pdf``), so a slip prints sharp on any
printer and its code can be read back, by eye or by a program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from fpdf import FPDF

from qinglian.core import pdf as printing
from qinglian.meetings import tokens

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0  # A4, millimetres
MARGIN = 10.0
COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
SLIP_WIDTH = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS  # 95 mm
SLIP_HEIGHT = (PAGE_HEIGHT - 2 * MARGIN) / ROWS  # 69.25 mm
PAD = 4.0  # inside a slip, from the cutting line
QR_SIZE = 38.0  # with its quiet zone: about 0.8 mm a module for a version-5 or -6 code
INK = (25, 25, 25)
GREY = (90, 90, 90)
RED = (200, 16, 46)


@dataclass(frozen=True)
class SlipSheet:
    """What the slips of one issue show: the same for all but the code."""

    village_name: str
    quarter: str  # "2026-Q3"
    score_url: str  # the scoring page's absolute address, without the code
    codes: Sequence[str]


def slip_url(score_url: str, code: str) -> str:
    """The address in a slip's QR code: the scoring page with the code filled in."""
    return f"{score_url}?t={code}"


def slips_pdf(sheet: SlipSheet) -> bytes:
    """The slips in the order of ``sheet.codes``, eight to an A4 page, in the active language."""
    if not sheet.codes:
        raise ValueError("a slips PDF needs at least one code")
    pdf = printing.a4_document(
        title=f"{_('Scoring slips')} {sheet.village_name} {sheet.quarter}", margin=MARGIN
    )
    for index, code in enumerate(sheet.codes):
        if index % PER_PAGE == 0:
            pdf.add_page()
        place = index % PER_PAGE
        x = MARGIN + (place % COLUMNS) * SLIP_WIDTH
        y = MARGIN + (place // COLUMNS) * SLIP_HEIGHT
        _slip(pdf, sheet, code, x=x, y=y)
    return bytes(pdf.output())


def _slip(pdf: FPDF, sheet: SlipSheet, code: str, *, x: float, y: float) -> None:
    # The cutting line: dashed, so the slips are cut apart along it.
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.rect(x, y, SLIP_WIDTH, SLIP_HEIGHT)
    pdf.set_dash_pattern()

    inner = SLIP_WIDTH - 2 * PAD
    _text(pdf, _("Sunshine report meeting"), x=x + PAD, y=y + PAD, w=inner, size=9, colour=RED)
    _text(pdf, sheet.village_name, x=x + PAD, y=y + PAD + 5, w=inner, size=14, colour=INK)

    top = y + PAD + 12
    printing.draw_qr(pdf, slip_url(sheet.score_url, code), x=x + PAD - 1, y=top, size=QR_SIZE)

    right = x + PAD + QR_SIZE + 2
    width = x + SLIP_WIDTH - PAD - right
    _text(pdf, sheet.quarter, x=right, y=top + 4, w=width, size=13, colour=INK)
    _text(pdf, _("Your code"), x=right, y=top + 16, w=width, size=9, colour=GREY)
    _text(pdf, tokens.grouped(code), x=right, y=top + 21, w=width, size=16, colour=INK)

    # For a phone that cannot scan: the address to type, then the code.
    _text(pdf, sheet.score_url, x=x + PAD, y=top + QR_SIZE + 1, w=inner, size=7, colour=GREY)
    _text(
        pdf,
        _("Scan the code or enter the scoring code to score the village cadres; one use per code."),
        x=x + PAD,
        y=top + QR_SIZE + 5.5,
        w=inner,
        size=8.5,
        colour=INK,
    )


def _text(
    pdf: FPDF,
    text: str,
    *,
    x: float,
    y: float,
    w: float,
    size: float,
    colour: tuple[int, int, int],
) -> None:
    """One line from the left, shrunk to ``w`` if it is too long (never wrapped)."""
    text = printing.printable(pdf, text)
    size = printing.fitted_size(pdf, text, size=size, width=w)
    pdf.set_text_color(*colour)
    pdf.set_xy(x, y)
    pdf.cell(w, size * printing.PT_TO_MM * 1.2, text)
