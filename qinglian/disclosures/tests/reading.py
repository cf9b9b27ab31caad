"""Read what a person would read from our codes and PDFs: a real QR decoder (zxing-cpp)
on pixels, and a real PDF engine (PDFium) that renders pages and extracts their text."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pypdfium2
import zxingcpp
from fpdf import FPDF
from PIL import Image


@dataclass(frozen=True)
class PageRead:
    text: str
    lines: list[str]
    codes: list[str]  # what the QR codes on the page decode to
    width_pt: float
    char_boxes: list[tuple[float, float, float, float]]  # left, bottom, right, top


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def decode_png(data: bytes) -> list[str]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return decode(Image.open(io.BytesIO(data)))


def decode_svg(data: bytes) -> list[str]:
    """Draw the SVG with fpdf2's SVG reader onto a page, render it with PDFium, decode."""
    pdf = FPDF()
    pdf.add_page()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no viewBox": width and height stand in for it
        pdf.image(io.BytesIO(data), x=20, y=20, w=120)
    return read_pdf(bytes(pdf.output()))[0].codes


def read_pdf(data: bytes, *, dpi: int = 150) -> list[PageRead]:
    assert data.startswith(b"%PDF-")
    pages = []
    with pypdfium2.PdfDocument(data) as document:
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
            image = page.render(scale=dpi / 72).to_pil()
            pages.append(
                PageRead(
                    text=text,
                    lines=[line for line in text.splitlines() if line.strip()],
                    codes=decode(image),
                    width_pt=page.get_width(),
                    char_boxes=boxes,
                )
            )
            textpage.close()
            page.close()
    return pages
