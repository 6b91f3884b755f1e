"""DejaVu Sans, embedded in every PDF: full Vietnamese coverage, never a PDF base font.

The TrueType files and their licence (LICENSE_DEJAVU, Bitstream Vera / public domain
changes) come from matplotlib's installed data, so nothing is vendored here.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


def font_directory() -> Path:
    """Where the DejaVu files are, found without importing matplotlib itself."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: it provides the DejaVu Sans font for labels")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def licence_path() -> Path:
    return font_directory() / "LICENSE_DEJAVU"


@cache
def register_fonts() -> None:
    """Make REGULAR and BOLD known to reportlab (once per process); they are subset-embedded."""
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, str(font_directory() / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
