"""Item and transfer codes with a check character, and UPU S10 postal ids.

Our codes (items IT, transfers TR, dossiers HS) are a two-letter type prefix, nine body
characters and one check character, e.g. ``IT7K3M9Q2X4B``: 12 uppercase characters, all in
Code 128 set B. The check character is ISO 7064 MOD 37,36 (the hybrid system for
alphanumerics) computed over prefix and body, so any single mistyped character and any swap
of two neighbours is refused instead of being recorded against another item. The body avoids
I and O, which people misread as 1 and 0 when typing a code off a label.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BODY_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
BODY_LENGTH = 9
MODULUS = 36

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
S10_PATTERN = re.compile(r"[A-Z]{2}[0-9]{9}[A-Z]{2}")


class CodeKind(StrEnum):
    ITEM = "IT"
    TRANSFER = "TR"
    DOSSIER = "HS"  # the tracker's own code for a dossier the one-stop system has not numbered yet


OUR_CODE_PATTERN = re.compile(rf"(IT|TR|HS)[0-9A-Z]{{{BODY_LENGTH}}}[0-9A-Z]")


class InvalidCheckCharacter(ValueError):
    """The code has the right shape but its check character does not match: a misread or typo."""

    def __init__(self, code: str):
        super().__init__(f"check character of {code!r} does not match")
        self.code = code


def iso7064_mod37_36(text: str) -> str:
    """The ISO 7064 MOD 37,36 check character for an uppercase alphanumeric string."""
    product = MODULUS
    for char in text:
        total = (product + ALPHANUMERIC.index(char)) % MODULUS or MODULUS
        product = (total * 2) % (MODULUS + 1)
    return ALPHANUMERIC[(MODULUS + 1 - product) % MODULUS]


def new_code(kind: CodeKind) -> str:
    """A fresh random code of the given kind, check character included."""
    body = kind.value + "".join(secrets.choice(BODY_ALPHABET) for _ in range(BODY_LENGTH))
    return body + iso7064_mod37_36(body)


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial number."""
    remainder = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return {10: 0, 11: 5}.get(check, check)


def normalise(raw: str) -> str:
    """Scanners and people add spaces, lowercase and full-width characters (an IME's ０-９);
    codes are compared NFKC-normalised, uppercase and bare."""
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


@dataclass(frozen=True)
class ScannedCode:
    """What a scanned string turned out to be."""

    value: str
    kind: CodeKind | None  # None: not one of our codes
    is_postal_id: bool = False


def classify(raw: str) -> ScannedCode:
    """Recognise one of our codes or an S10 id; raise InvalidCheckCharacter on a bad check."""
    value = normalise(raw)
    if OUR_CODE_PATTERN.fullmatch(value):
        if iso7064_mod37_36(value[:-1]) != value[-1]:
            raise InvalidCheckCharacter(value)
        return ScannedCode(value, CodeKind(value[:2]))
    if S10_PATTERN.fullmatch(value):
        if s10_check_digit(value[2:10]) != int(value[10]):
            raise InvalidCheckCharacter(value)
        return ScannedCode(value, None, is_postal_id=True)
    return ScannedCode(value, None)


def is_valid_s10(raw: str) -> bool:
    value = normalise(raw)
    return bool(S10_PATTERN.fullmatch(value)) and s10_check_digit(value[2:10]) == int(value[10])
