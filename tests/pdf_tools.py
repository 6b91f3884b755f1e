"""Reading generated documents the way a printer and a scanner would: real tools only."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from pyzbar.pyzbar import ZBarSymbol, decode

BASE_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
    "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


def rendered_pages(pdf: bytes, dpi: int = 200) -> list[Image.Image]:
    """Each page as pdftoppm renders it at dpi."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(folder) / "page")], check=True)
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        return [Image.open(page).copy() for page in pages]


def codes_per_page(pdf: bytes, dpi: int = 200) -> list[list[tuple[str, str]]]:
    """Each page rendered at dpi and read by zbar: sorted (symbology, text) pairs."""
    return [decode_image(page) for page in rendered_pages(pdf, dpi)]


def codes_per_cell(pdf: bytes, columns: int, rows: int, dpi: int = 200) -> list[list[tuple[str, str]]]:
    """Each cell of a sheet of labels read on its own, as a scanner aimed at one label reads it.

    zbar looking at a whole sheet can pair the finder patterns of neighbouring QR codes, which
    sit in a regular grid, and miss one now and then; no handheld scanner sees eight at once.
    """
    cells = []
    for page in rendered_pages(pdf, dpi):
        width, height = page.size
        for slot in range(columns * rows):
            column, row = slot % columns, slot // columns
            box = (column * width // columns, row * height // rows, (column + 1) * width // columns,
                   (row + 1) * height // rows)  # fmt: skip
            cells.append(decode_image(page.crop(box)))
    return cells


def decode_image(image: Image.Image) -> list[tuple[str, str]]:
    found = decode(image, symbols=[ZBarSymbol.CODE128, ZBarSymbol.QRCODE])
    return sorted((symbol.type, symbol.data.decode()) for symbol in found)


def pdf_text(pdf: bytes) -> str:
    """pdftotext's reading of the document, lines joined by single spaces."""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def pdf_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name without subset prefix, embedded?) for every font pdffonts lists."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        lines = subprocess.run(["pdffonts", source.name], capture_output=True, check=True).stdout.decode().splitlines()
    fonts = []
    for line in lines[2:]:
        parts = line.split()
        name = parts[0].split("+")[-1]
        embedded = parts[-5] == "yes"
        fonts.append((name, embedded))
    return fonts


def page_count(pdf: bytes) -> int:
    return len(codes_per_page(pdf, dpi=20))
