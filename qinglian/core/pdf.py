"""Printed pages: an A4 document in Noto Sans SC, embedded as a subset. No database.

Every PDF the platform prints (the village signs, the liaison stations' monthly
records, the meetings' scoring slips) starts from ``a4_document``: every text is
real text (it can be searched, copied and read aloud), set in Noto Sans SC, of
which only the glyphs used are embedded, so the page looks the same in any viewer
and on any printer, whether or not the machine has a Chinese font. QR codes are
drawn as vector squares (``draw_qr``). The font comes from PyPI (package
``pylopdf-fonts-zh-cn``, the unmodified upstream file); see docs/architecture.md.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pylopdf_fonts_zh_cn
import segno
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

# Noto Sans SC 2.004, Sans/SubsetOTF/SC of notofonts/noto-cjk (SIL OFL 1.1): CFF outlines,
# about 30,000 characters (GB 18030 and the general-purpose list 通用规范汉字表).
FONT_PATH: Path = pylopdf_fonts_zh_cn.sans_path()
FONT_SHA256 = "faa6c9df652116dde789d351359f3d7e5d2285a2b2a1f04a2d7244df706d5ea9"
FONT = "noto"  # the family name documents register the font under

# What a typesetter prints for a character the font lacks (rare characters of some
# village names): a visible gap to write in by hand, never a silently shorter name.
MISSING_GLYPH = "〓"
PT_TO_MM = 0.3528
# Quartile error correction: a quarter of a printed symbol may be soiled or torn and it
# still reads. QR_BORDER is the quiet zone the standard asks for, in modules.
QR_ERROR = "q"
QR_BORDER = 4

logger = logging.getLogger(__name__)


def a4_document(*, title: str, margin: float = 18.0) -> FPDF:
    """An empty portrait A4 document (millimetres) with the font loaded, in the active
    language. Pages break where the caller adds them."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(margin, margin, margin)
    pdf.add_font(FONT, fname=FONT_PATH)
    pdf.set_font(FONT)
    pdf.set_lang(translation.get_language() or "zh-hans")
    pdf.set_creator("Qinglian")
    pdf.set_title(title)
    return pdf


def printable(pdf: FPDF, text: str) -> str:
    """``text`` with each character the font lacks replaced by ``MISSING_GLYPH``."""
    pdf.set_font(FONT)
    cmap: dict[int, str] = getattr(pdf.current_font, "cmap", {})
    missing = {c for c in text if ord(c) not in cmap and c not in "\n\r\t"}
    if not missing:
        return text
    logger.warning("pdf: the font lacks %s in %r", "".join(sorted(missing)), text)
    return "".join(MISSING_GLYPH if c in missing else c for c in text)


def fitted_size(pdf: FPDF, text: str, *, size: float, width: float) -> float:
    """``size``, or the largest smaller size (in half points) at which ``text`` fits ``width``."""
    pdf.set_font(FONT, size=size)
    while size > 6 and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font(FONT, size=size)
    return size


def short_root(root: bytes) -> str:
    """The first 16 characters of a log root hash in base64, as the log's pages show it."""
    return base64.b64encode(root).decode()[:16]


def checkpoint_text(size: int | None, root: bytes | None) -> str:
    """The publication log's checkpoint as printed on paper, to compare with the log later."""
    if size is None or root is None:
        return _("Publication log when printed: nothing published yet.")
    return _("Publication log when printed: %(size)s entries, root %(root)s…") % {
        "size": size,
        "root": short_root(root),
    }


def draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size: float) -> None:
    """A QR code of ``data`` with its quiet zone, ``size`` mm square at (x, y), as vector
    squares: each row's runs of dark modules in one filled path, on a white ground."""
    code = segno.make_qr(data, error=QR_ERROR)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=QR_BORDER)]
    module = size / len(rows)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    with pdf.new_path() as path:
        path.style.fill_color = "#000000"
        path.style.stroke_color = None
        for r, row in enumerate(rows):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rectangle(x + start * module, y + r * module, (c - start) * module, module)
