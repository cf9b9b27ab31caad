"""One village, one code: the village's QR code and its printable A4 sign. No database.

The QR code carries the absolute address of the public village page. The sign
(码上监督) puts that code on an A4 page with the village's and township's names,
a call to scan it, the discipline commission's hotline and the publication log's
checkpoint at the time of printing, so that a sign on the notice board can be
compared with the log later.

Every text on the sign is real text in the PDF, set in Noto Sans SC embedded as
a subset (``core.pdf``, shared with every printed page).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import segno
from django.utils.translation import gettext as _
from fpdf import FPDF

from qinglian.core import pdf as printing

# Quartile error correction: a quarter of the symbol may be soiled or torn on an
# outdoor notice board and the code still reads. A page address fits version 5 or 6.
QR_ERROR = printing.QR_ERROR
QR_BORDER = printing.QR_BORDER

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0  # A4, millimetres
MARGIN = 18.0
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 120.0  # the printed symbol with its quiet zone: about 2.5 mm a module
RED = (200, 16, 46)
INK = (25, 25, 25)
GREY = (90, 90, 90)


@dataclass(frozen=True)
class Sign:
    """What one village's sign shows; gathered by ``sign_selectors.sign_for``."""

    village_name: str
    village_code: str
    township_name: str
    page_url: str
    hotline: str  # empty: no hotline line
    hotline_region: str  # the region whose discipline commission answers it
    checkpoint_size: int | None  # None: nothing published yet
    checkpoint_root: bytes | None
    checkpoint_url: str
    printed_on: date


def village_qr(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=QR_ERROR)


def qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    village_qr(url).save(
        out, kind="svg", scale=8, border=QR_BORDER, xmldecl=False, svgclass=None, lineclass=None
    )
    return out.getvalue()


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    village_qr(url).save(out, kind="png", scale=10, border=QR_BORDER)
    return out.getvalue()


def sign_pdf(signs: Sequence[Sign]) -> bytes:
    """One A4 page per sign, in the order given, texts in the active language."""
    if not signs:
        raise ValueError("a sign PDF needs at least one sign")
    pdf = printing.a4_document(
        title=signs[0].village_name if len(signs) == 1 else signs[0].township_name,
        margin=MARGIN,
    )
    for sign in signs:
        _sign_page(pdf, sign)
    return bytes(pdf.output())


def _sign_page(pdf: FPDF, sign: Sign) -> None:
    pdf.add_page()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, PAGE_WIDTH - 16, PAGE_HEIGHT - 16)
    pdf.set_line_width(0.3)
    pdf.rect(10, 10, PAGE_WIDTH - 20, PAGE_HEIGHT - 20)

    _line(pdf, _("Code supervision"), y=20, size=50, colour=RED)
    _line(pdf, _("One village, one code: village affairs in the open"), y=43, size=14, colour=RED)
    _line(pdf, sign.village_name, y=55, size=40, colour=INK)
    _line(pdf, sign.township_name, y=74, size=20, colour=GREY)

    printing.draw_qr(pdf, sign.page_url, x=(PAGE_WIDTH - QR_SIZE) / 2, y=88, size=QR_SIZE)

    _line(
        pdf,
        _("Scan to see the village's party, village and financial affairs"),
        y=212,
        size=17,
        colour=INK,
    )
    _line(pdf, _("and to ask a question or report a problem."), y=222, size=17, colour=INK)
    if sign.hotline:
        _line(
            pdf,
            _("Hotline of the %(region)s discipline commission: %(phone)s")
            % {"region": sign.hotline_region, "phone": sign.hotline},
            y=236,
            size=18,
            colour=RED,
        )

    _line(pdf, _("Or open %(url)s") % {"url": sign.page_url}, y=254, size=10, colour=GREY)
    _line(
        pdf, _("Division code %(code)s") % {"code": sign.village_code}, y=260, size=9, colour=GREY
    )
    _line(pdf, checkpoint_text(sign), y=268, size=9, colour=GREY)
    _line(
        pdf,
        _("Printed on %(date)s; compare with %(url)s")
        % {"date": sign.printed_on.isoformat(), "url": sign.checkpoint_url},
        y=274,
        size=9,
        colour=GREY,
    )


def checkpoint_text(sign: Sign) -> str:
    return printing.checkpoint_text(sign.checkpoint_size, sign.checkpoint_root)


def _line(
    pdf: FPDF,
    text: str,
    *,
    y: float,
    size: float,
    colour: tuple[int, int, int],
) -> None:
    """One centred line, shrunk to the text width if it is too long (never wrapped)."""
    text = printing.printable(pdf, text)
    printing.fitted_size(pdf, text, size=size, width=TEXT_WIDTH)
    pdf.set_text_color(*colour)
    pdf.set_xy(MARGIN, y)
    pdf.cell(TEXT_WIDTH, size * printing.PT_TO_MM * 1.2, text, align="C")
