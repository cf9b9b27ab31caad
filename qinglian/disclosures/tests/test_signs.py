"""The village's code and its A4 sign, read back as a phone and a person would read them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from qinglian.disclosures.signs import (
    Sign,
    checkpoint_text,
    qr_png,
    qr_svg,
    sign_pdf,
)
from qinglian.disclosures.tests.reading import decode_png, decode_svg, read_pdf

URL = "https://qinglian.example.gov.cn/v/339901100201/"
SIGN = Sign(
    village_name="上塘村",
    village_code="339901100201",
    township_name="青山镇",
    page_url=URL,
    hotline="0571-87654321",
    hotline_region="青山镇",
    checkpoint_size=4217,
    checkpoint_root=bytes(range(32)),
    checkpoint_url="https://qinglian.example.gov.cn/log/checkpoint",
    printed_on=date(2026, 11, 22),
)


def test_svg_and_png_codes_decode_to_the_url():
    assert decode_svg(qr_svg(URL)) == [URL]
    assert decode_png(qr_png(URL)) == [URL]


def test_sign_page_shows_names_hotline_checkpoint_and_a_readable_code():
    [page] = read_pdf(sign_pdf([SIGN]))
    assert page.codes == [URL]
    for text in ("上塘村", "青山镇", "0571-87654321", "339901100201", "2026-11-22", URL):
        assert text in page.text
    assert checkpoint_text(SIGN) in page.text
    assert "4217" in page.text and "AAECAwQFBgcICQoL" in page.text  # size, short root (base64)


def test_sign_without_hotline_leaves_the_line_out():
    [with_line] = read_pdf(sign_pdf([SIGN]))
    [without] = read_pdf(sign_pdf([replace(SIGN, hotline="", hotline_region="")]))
    assert "0571-87654321" not in without.text
    assert len(without.lines) == len(with_line.lines) - 1


def test_sign_before_anything_is_published_says_so():
    sign = replace(SIGN, checkpoint_size=None, checkpoint_root=None)
    [page] = read_pdf(sign_pdf([sign]))
    assert checkpoint_text(sign) in page.text
    assert "4217" not in page.text


def test_long_names_shrink_to_fit_the_page():
    long_name = "某某某某某某某某某某某某某某某某某某某村股份经济合作社村民委员会"
    [page] = read_pdf(sign_pdf([replace(SIGN, village_name=long_name)]))
    assert long_name in page.text
    assert all(left >= 0 and right <= page.width_pt for left, _, right, _ in page.char_boxes)
    assert page.codes == [URL]


def test_a_character_the_font_lacks_shows_as_a_gap_not_a_shorter_name():
    name = "上\U00020000村"  # CJK Extension B, beyond Noto Sans SC's subset
    [page] = read_pdf(sign_pdf([replace(SIGN, village_name=name)]))
    assert "上〓村" in page.lines


def test_one_page_per_sign_in_the_order_given():
    second = replace(
        SIGN, village_name="下塘村", village_code="339901100202", page_url=URL[:-2] + "2/"
    )
    pages = read_pdf(sign_pdf([SIGN, second]))
    assert [p.codes for p in pages] == [[URL], [second.page_url]]
    assert "上塘村" in pages[0].text and "下塘村" in pages[1].text


def test_an_empty_batch_is_refused():
    with pytest.raises(ValueError):
        sign_pdf([])


def test_the_font_is_embedded_as_a_subset_so_any_viewer_shows_chinese():
    pdf = sign_pdf([SIGN])
    assert b"/FontFile3" in pdf  # the outlines travel inside the file
    assert b"+NotoSansSC" in pdf  # a subset (tag+name), not the whole 8 MB font
    assert len(pdf) < 100_000
    assert b"STSong" not in pdf
