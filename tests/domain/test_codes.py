import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.codes import (
    ALPHANUMERIC,
    BODY_ALPHABET,
    CodeKind,
    InvalidCheckCharacter,
    classify,
    is_valid_s10,
    iso7064_mod37_36,
    new_code,
    s10_check_digit,
)

bodies = st.text(alphabet=BODY_ALPHABET, min_size=9, max_size=9)
kinds = st.sampled_from(list(CodeKind))


def code_from(kind: CodeKind, body: str) -> str:
    text = kind.value + body
    return text + iso7064_mod37_36(text)


@pytest.mark.parametrize("postal_id", ["RR473124829VN", "EE123456785VN", "rr 473124829 vn"])
def test_valid_s10_ids_are_accepted(postal_id):
    assert is_valid_s10(postal_id)


@pytest.mark.parametrize("postal_id", ["RR473124828VN", "RR47312482VN", "R1473124829VN", ""])
def test_invalid_s10_ids_are_refused(postal_id):
    assert not is_valid_s10(postal_id)


@pytest.mark.parametrize(("serial", "check"), [("47312482", 9), ("12345678", 5), ("00000000", 5), ("00000001", 4)])
def test_s10_check_digit_follows_the_upu_rule(serial, check):
    assert s10_check_digit(serial) == check


def test_s10_with_bad_check_digit_raises_on_classify():
    with pytest.raises(InvalidCheckCharacter):
        classify("RR473124828VN")
    assert classify("rr473124829vn").is_postal_id


@given(kinds)
def test_new_codes_are_short_uppercase_and_valid(kind):
    code = new_code(kind)
    assert len(code) == 12 <= 16
    assert code == code.upper() and code.isascii() and code.isalnum()
    assert classify(code).kind is kind


@given(kinds, bodies, st.integers(min_value=2, max_value=11), st.sampled_from(ALPHANUMERIC))
def test_any_single_wrong_character_is_refused(kind, body, position, replacement):
    code = code_from(kind, body)
    mistyped = code[:position] + replacement + code[position + 1 :]
    if mistyped == code:
        return
    with pytest.raises(InvalidCheckCharacter):
        classify(mistyped)


def test_codes_are_normalised_before_checking():
    code = new_code(CodeKind.TRANSFER)
    assert classify(f"  {code.lower()} ").value == code


def test_text_that_is_none_of_our_codes_is_unknown_not_an_error():
    scanned = classify("HELLO")
    assert scanned.kind is None and not scanned.is_postal_id
