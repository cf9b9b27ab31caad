"""The liaison station's monthly performance record (履职纪实表) as a printable A4 PDF.

Drawn from the village's cases of the month (``stats.month_figures``): what came
in by kind and category, how it was answered, escalated, reopened, transferred
and rated. What the platform does not know yet (domain.md §15.6: meetings
attended, vouchers and disclosures reviewed, site inspections, households
visited, opinions gathered, problems found and fixed, clues reported, training)
is left as blank lines for the station to fill in by hand, with the township's
comment and the signatures. The foot carries the publication log's checkpoint at
the time of printing, as the village signs do. No database here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from qinglian.appeals.models import Kind, Rating
from qinglian.appeals.stats import Figures
from qinglian.core import pdf as printing

MARGIN = 15.0
PAGE_WIDTH = 210.0
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 78.0
INK = (25, 25, 25)
GREY = (90, 90, 90)
HEADING_FILL = (235, 235, 235)


@dataclass(frozen=True)
class Record:
    """What one village's record for one month shows; gathered by ``stats_views``."""

    village_name: str
    village_code: str
    township_name: str
    month: date  # its first day
    figures: Figures
    all_cases: bool  # reports and cases naming cadres counted (a commission officer printed it)
    as_of: date  # the cases as they stand on this day
    checkpoint_size: int | None
    checkpoint_root: bytes | None
    checkpoint_url: str
    printed_on: date


def _chinese() -> bool:
    return (translation.get_language() or "").startswith("zh")


def _joined(items: Iterable[str]) -> str:
    """Items of a list in a sentence: 、 between them in Chinese, a comma otherwise."""
    return ("、" if _chinese() else ", ").join(items)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)}%"


def mailbox_lines(record: Record) -> list[tuple[str, str]]:
    """(label, value) of the part the platform fills in."""
    f = record.figures
    kinds = [
        (value, label) for value, label in Kind.choices if record.all_cases or value != Kind.REPORT
    ]
    ratings = dict(Rating.choices)
    categories = _joined(f"{label} {n}" for _value, label, n in f.categories()) or "—"
    median = f.median_days
    return [
        (_("Cases received"), str(f.received)),
        (
            _("By kind"),
            _joined(f"{label} {f.by_kind[value]}" for value, label in kinds),
        ),
        (_("By category"), categories),
        (_("Answered"), str(f.answered)),
        (
            _("Answered on time"),
            _("%(n)d of %(due)d due (%(rate)s)")
            % {"n": f.on_time, "due": f.timed, "rate": _percent(f.on_time_rate)},
        ),
        (_("Answered late, or overdue without an answer"), str(f.late)),
        (
            _("Median time to the first answer"),
            "—" if median is None else _("%(days)s days") % {"days": median},
        ),
        (_("Still open"), str(f.still_open)),
        (_("Escalated for lateness"), str(f.escalated)),
        (_("Reopened by the villager"), str(f.reopened)),
        (_("Transferred to another body"), str(f.transferred)),
        (
            _("Ratings"),
            _joined(f"{ratings[value]} {f.ratings[value]}" for value in Rating.values),
        ),
        (
            _("Satisfaction (satisfied or basically satisfied)"),
            _("%(n)d of %(rated)d rated (%(rate)s)")
            % {"n": f.satisfied, "rated": f.rated, "rate": _percent(f.satisfaction_rate)},
        ),
    ]


def station_lines() -> list[str]:
    """What the station fills in by hand (domain.md §15.6)."""
    return [
        _("Meetings attended (matter, body, whether the procedure was followed)"),
        _("Vouchers reviewed (number and amount)"),
        _("Disclosures reviewed before publication"),
        _("Site inspections (projects)"),
        _("Households visited"),
        _("Opinions gathered"),
        _("Problems found, and how many were fixed"),
        _("Clues reported to the township discipline commission"),
        _("Training and education sessions"),
    ]


def record_pdf(record: Record) -> bytes:
    """The record on A4 pages (one in most months), texts in the active language."""
    month = f"{record.month:%Y-%m}"
    title = _("Village supervision liaison station: monthly performance record")
    pdf = printing.a4_document(title=f"{record.village_name} {month}", margin=MARGIN)
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.add_page()
    pdf.set_text_color(*INK)
    _centred(pdf, title, size=16)
    pdf.ln(2)
    _centred(
        pdf,
        _("%(village)s, %(township)s · month %(month)s · division code %(code)s")
        % {
            "village": record.village_name,
            "township": record.township_name,
            "month": month,
            "code": record.village_code,
        },
        size=10.5,
    )
    pdf.ln(4)

    _heading(pdf, _("1. Mass mailbox (filled in by the platform)"))
    note = _("Cases received in the month, as they stood on %(date)s.") % {
        "date": record.as_of.isoformat()
    }
    if not record.all_cases:
        note += " " + _(
            "Reports and cases naming a cadre are counted by the discipline commission only "
            "and are not included."
        )
    _note(pdf, note)
    _table(pdf, mailbox_lines(record), line_height=4.8, min_height=5.5)
    pdf.ln(3)

    _heading(pdf, _("2. The station's work (filled in by the station)"))
    _table(pdf, [(label, "") for label in station_lines()], line_height=4.8, min_height=7.8)
    pdf.ln(4)

    _heading(pdf, _("3. Township discipline commission"))
    _table(pdf, [(_("Comment or score"), "")], line_height=4.8, min_height=16)
    pdf.ln(3)
    _signature_line(pdf, _("Station head (signature)"), pgettext("signature line", "Date"), size=10)
    _signature_line(
        pdf,
        _("Township discipline commission (signature and seal)"),
        pgettext("signature line", "Date"),
        size=10,
    )
    pdf.ln(4)
    pdf.set_text_color(*GREY)
    _note(pdf, printing.checkpoint_text(record.checkpoint_size, record.checkpoint_root))
    _note(
        pdf,
        _("Printed on %(date)s; compare with %(url)s")
        % {"date": record.printed_on.isoformat(), "url": record.checkpoint_url},
    )
    return bytes(pdf.output())


def _centred(pdf: FPDF, text: str, *, size: float) -> None:
    text = printing.printable(pdf, text)
    size = printing.fitted_size(pdf, text, size=size, width=TEXT_WIDTH)
    pdf.set_x(MARGIN)
    pdf.cell(
        TEXT_WIDTH, size * printing.PT_TO_MM * 1.4, text, align="C", new_x="LMARGIN", new_y="NEXT"
    )


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font(printing.FONT, size=12)
    pdf.set_fill_color(*HEADING_FILL)
    pdf.set_x(MARGIN)
    pdf.cell(TEXT_WIDTH, 8, printing.printable(pdf, text), fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(1)


def _note(pdf: FPDF, text: str) -> None:
    pdf.set_font(printing.FONT, size=9)
    pdf.set_x(MARGIN)
    pdf.multi_cell(TEXT_WIDTH, 4.6, printing.printable(pdf, text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(
    pdf: FPDF, lines: list[tuple[str, str]], *, line_height: float, min_height: float
) -> None:
    pdf.set_font(printing.FONT, size=10)
    # Chinese breaks between any two characters; other languages between words.
    chinese = _chinese()
    with pdf.table(
        width=TEXT_WIDTH,
        col_widths=(LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH),
        first_row_as_headings=False,
        line_height=line_height,
        min_row_height=min_height,
        text_align="LEFT",
        v_align="MIDDLE",
        wrapmode=WrapMode.CHAR if chinese else WrapMode.WORD,
        headings_style=FontFace(),
    ) as table:
        for label, value in lines:
            row = table.row()
            row.cell(printing.printable(pdf, label))
            row.cell(printing.printable(pdf, value))


def _signature_line(pdf: FPDF, who: str, when: str, *, size: float) -> None:
    pdf.set_font(printing.FONT, size=size)
    pdf.set_x(MARGIN)
    height = 9.0
    pdf.cell(TEXT_WIDTH * 0.62, height, printing.printable(pdf, f"{who}: ") + "_" * 12)
    pdf.cell(
        TEXT_WIDTH * 0.38,
        height,
        printing.printable(pdf, f"{when}: ") + "_" * 12,
        new_x="LMARGIN",
        new_y="NEXT",
    )
