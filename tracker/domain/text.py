"""Text as people type it when they search: without diacritics, case or spacing."""

from __future__ import annotations

from unidecode import unidecode


def fold(text: str) -> str:
    """Lowercase ASCII with single spaces: 'Nguyễn Thị Ánh' -> 'nguyen thi anh', 'Đ' -> 'd'."""
    return " ".join(unidecode(text).lower().split())


def digits_of(text: str) -> str:
    """Only the digits: '0912.345 678' -> '0912345678'."""
    return "".join(char for char in text if char.isdigit())
