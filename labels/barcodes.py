"""Code 128 and QR codes: as SVG for pages, drawn as vectors on PDF canvases."""

from __future__ import annotations

import re
from functools import lru_cache

import segno
from barcode import Code128
from barcode.writer import SVGWriter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

# What we put in barcodes: our codes, S10 ids, dossier codes. Code 128 set B covers them.
BARCODE_TEXT = re.compile(r"^[0-9A-Za-z.\-_/ ]{1,64}$")
# A QR code may also carry a web address (the receipt's link to the public lookup page).
QR_TEXT = re.compile(r"^[\x21-\x7e]{1,300}$")
QUIET_ZONE_MODULES = 12
# 0.254 mm is two pixels at 200 dpi: the thinnest bar a printed label may have and still scan.
MIN_MODULE = 0.254 * mm


def checked(code: str, pattern: re.Pattern = BARCODE_TEXT) -> str:
    if not pattern.match(code or ""):
        raise ValueError(f"not printable as a barcode: {code!r}")
    return code


@lru_cache(maxsize=8192)
def code128_modules(code: str) -> str:
    """The bars and spaces of code as '1'/'0' modules, start to stop, without quiet zones."""
    return Code128(checked(code)).build()[0]


def module_width_to_fit(code: str, available_width: float, preferred: float) -> float:
    """The preferred module width, narrowed if needed so bars and quiet zones fit the width."""
    modules = len(code128_modules(code)) + 2 * QUIET_ZONE_MODULES
    width = min(preferred, available_width / modules)
    if width < MIN_MODULE:
        raise ValueError(f"{code!r} does not fit {available_width / mm:.0f} mm and still scan")
    return width


def code128_width(code: str, module: float) -> float:
    """The width the barcode takes, quiet zones included."""
    return (len(code128_modules(code)) + 2 * QUIET_ZONE_MODULES) * module


def draw_code128(canvas: Canvas, code: str, x: float, y: float, module: float, height: float) -> float:
    """Bars from (x, y) upwards, quiet zones included, as one filled path; the width drawn."""
    left = x + QUIET_ZONE_MODULES * module
    path = canvas.beginPath()
    for start, length in _dark_runs([bit == "1" for bit in code128_modules(code)]):
        path.rect(left + start * module, y, length * module, height)
    canvas.drawPath(path, stroke=0, fill=1)
    return code128_width(code, module)


@lru_cache(maxsize=8192)
def qr_matrix(code: str) -> tuple[tuple[int, ...], ...]:
    """The QR symbol's modules, 1 for dark, without the quiet zone.

    Error correction M. The mask pattern is fixed: ISO 18004 lets a symbol use any of the
    eight, and scoring all eight costs ~2 ms a label, more than drawing the whole label.
    """
    return segno.make_qr(checked(code, QR_TEXT), error="m", mask=0, boost_error=False).matrix


def draw_qr(canvas: Canvas, code: str, x: float, y: float, size: float) -> None:
    """A QR code of code filling a size x size square (its 4-module quiet zone included)."""
    matrix = qr_matrix(code)
    module = size / (len(matrix) + 8)
    top = y + size - 4 * module
    path = canvas.beginPath()
    for row, modules in enumerate(matrix):
        for start, length in _dark_runs(modules):
            path.rect(x + (4 + start) * module, top - (row + 1) * module, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def _dark_runs(modules) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row of 1s and 0s."""
    runs, start = [], None
    for index, dark in enumerate([*modules, 0]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


@lru_cache(maxsize=4096)
def code128_svg(code: str) -> bytes:
    """The code as an SVG barcode with its text under it, for web pages."""
    options = {"module_width": 0.33, "module_height": 15.0, "quiet_zone": 4.0, "font_size": 10, "text_distance": 4.5}
    return Code128(checked(code), writer=SVGWriter()).render(options)
