"""Text as it may be printed: Vietnamese intact, anything hostile or invisible removed."""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

# Bidirectional controls (LRM, RLM, embeddings, overrides, isolates) and zero-width marks:
# invisible on paper, and a way to make a printed name read differently from the record.
INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)

# Control characters (C0, DEL, C1) and line/paragraph separators: a label is one line per field.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str | None) -> str:
    """NFC (precomposed Vietnamese), one line, no control or invisible characters."""
    if not text:
        return ""
    text = CONTROL.sub(" ", unicodedata.normalize("NFC", text).translate(INVISIBLE))
    return " ".join(text.split())


def markup(text: str | None, limit: int | None = None) -> str:
    """Printable text safe inside a reportlab Paragraph (which reads a little HTML), cut at limit."""
    text = printable(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return escape(text)


def shorten_name(full_name: str | None) -> str:
    """Family and given name in full, middle names as initials: "Nguyễn Văn An" -> "Nguyễn V. An"."""
    words = printable(full_name).split()
    if len(words) <= 2:
        return " ".join(words)
    middle = " ".join(f"{word[0]}." for word in words[1:-1])
    return f"{words[0]} {middle} {words[-1]}"


def _split_long_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the line (a name with no spaces, a long code) broken by characters."""
    pieces, current = [], ""
    for char in word:
        if current and stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def wrap(text: str, font: str, size: float, first_width: float, width: float) -> list[str]:
    """Greedy line breaking: the first line may be narrower (it follows a bold prefix).

    A line's width is the sum of its words' and spaces' widths (reportlab does not kern), so
    each word is measured once rather than each growing line again.
    """
    lines: list[str] = []
    current, current_width = "", 0.0
    space = stringWidth(" ", font, size)
    for word in printable(text).split(" "):
        available = first_width if not lines else width
        word_width = stringWidth(word, font, size)
        candidate_width = current_width + space + word_width if current else word_width
        if candidate_width <= available:
            current, current_width = (f"{current} {word}" if current else word), candidate_width
            continue
        if current:
            lines.append(current)
        current, current_width = word, word_width
        if word_width > (first_width if not lines else width):
            *whole, current = _split_long_word(word, font, size, first_width if not lines else width)
            lines.extend(whole)
            current_width = stringWidth(current, font, size)
    if current:
        lines.append(current)
    return lines
