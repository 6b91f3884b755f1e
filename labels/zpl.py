"""ZPL for Zebra-type thermal printers: the 100 x 150 mm item label at 203 dpi."""

from __future__ import annotations

import re

from labels.barcodes import checked
from labels.item_labels import KIND_LABELS, ItemLabel
from labels.text import printable, shorten_name

DOTS_PER_MM = 8  # 203 dpi
WIDTH, HEIGHT = 100 * DOTS_PER_MM, 150 * DOTS_PER_MM
MARGIN = 5 * DOTS_PER_MM
# A Unicode TrueType font resident on Link-OS printers; Vietnamese needs one (^CI28 is UTF-8).
DEFAULT_FONT = "E:TT0003M_.TTF"
FONT_NAME = re.compile(r"^[A-Z]:[A-Z0-9_]{1,16}\.TTF$")


def field_data(text: str) -> str:
    """Text for ^FD under ^FH: the command characters ^ and ~, and the escape itself, as hex.

    With ^FH the printer decodes _XX as the byte XX, so no input can end a field or start a
    command; every other UTF-8 character passes as it is.
    """
    return "".join(f"_{ord(ch):02X}" if ch in "^~_" else ch for ch in printable(text))


def _text(x: int, y: int, height: int, text: str, *, width: int, lines: int = 1) -> str:
    block = f"^FB{width},{lines},0,L,0" if lines > 1 else ""
    return f"^FO{x},{y}^A1N,{height},{height}{block}^FH^FD{field_data(text)}^FS"


def render_item_label_zpl(label: ItemLabel, font: str = DEFAULT_FONT) -> str:
    """One label in ZPL II; the barcode carries the exact item code, checked first."""
    code = checked(label.item_code)
    if not FONT_NAME.match(font):
        raise ValueError(f"not a printer font file name: {font!r}")
    inner = WIDTH - 2 * MARGIN
    kind = KIND_LABELS.get(label.kind, label.kind)
    commands = [
        "^XA",
        "^CI28",
        f"^CW1,{font}",
        f"^PW{WIDTH}",
        f"^LL{HEIGHT}",
        _text(MARGIN, MARGIN, 40, f"{kind.upper()} - HỒ SƠ TTHC", width=inner),
        f"^FO{MARGIN + 20},{MARGIN + 60}^BY3,3,220^BCN,220,Y,N,N^FD{code}^FS",
        _text(MARGIN, 380, 28, f"Thủ tục: {label.procedure_name}", width=inner, lines=4),
        _text(MARGIN, 530, 30, f"Mã hồ sơ: {label.dossier_code}", width=inner),
        _text(MARGIN, 580, 30, f"Nơi nhận: {label.destination}", width=inner, lines=2),
        _text(MARGIN, 670, 30, f"Hẹn trả: {label.due_date}", width=inner),
        _text(MARGIN, 720, 30, f"Người nộp: {shorten_name(label.applicant_name)}", width=inner),
        f"^FO{WIDTH - MARGIN - 260},{HEIGHT - MARGIN - 280}^BQN,2,8^FDMA,{code}^FS",
        "^XZ",
    ]
    return "\n".join(commands) + "\n"
