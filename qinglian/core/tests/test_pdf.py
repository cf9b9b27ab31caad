"""The printed pages' font: the upstream file, embedded as a subset, gaps for what it lacks."""

from __future__ import annotations

import hashlib

from qinglian.core.pdf import (
    FONT_PATH,
    FONT_SHA256,
    MISSING_GLYPH,
    a4_document,
    checkpoint_text,
    fitted_size,
    printable,
)


def test_the_font_is_the_upstream_noto_sans_sc_file():
    """pylopdf-fonts-zh-cn must carry notofonts/noto-cjk's Sans/SubsetOTF/SC file unchanged."""
    assert hashlib.sha256(FONT_PATH.read_bytes()).hexdigest() == FONT_SHA256


def test_a_character_the_font_lacks_becomes_a_visible_gap():
    pdf = a4_document(title="t")
    assert printable(pdf, "上塘村") == "上塘村"
    assert printable(pdf, "上\U00020000村") == f"上{MISSING_GLYPH}村"


def test_a_long_line_shrinks_until_it_fits():
    pdf = a4_document(title="t")
    text = "某" * 40
    size = fitted_size(pdf, text, size=20, width=100)
    assert size < 20
    pdf.set_font_size(size)
    assert pdf.get_string_width(text) <= 100


def test_the_checkpoint_line_gives_size_and_short_root(english):
    assert "4217 entries, root AAECAwQFBgcICQoL" in checkpoint_text(4217, bytes(range(32)))
    assert "nothing published yet" in checkpoint_text(None, None)
