"""R-SEC-1: identity numbers (GB 11643-1999) validated, masked. Pure, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.core import idnumber
from onewindow.core.idnumber import IdNumberError

# Check characters worked by hand from the MOD 11-2 weights.
VALID = ["11010519491231002X", "440524198801010011", "622921198001010011"]


@pytest.mark.parametrize("number", VALID)
def test_r_sec_1_valid_identity_numbers_pass(number):
    assert idnumber.validate(number) == number


def test_r_sec_1_lower_case_x_blanks_and_full_width_digits_are_normalized():
    assert idnumber.validate(" 11010519491231002x ") == "11010519491231002X"
    assert idnumber.validate("６２２９２１１９８００１０１００１１") == "622921198001010011"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "id_number.check_digit"),
        ("11010519491231002", "id_number.length"),
        ("1101051949123100211", "id_number.length"),
        ("11010519491331002X", "id_number.birth_date"),  # month 13
        ("110105199902300020", "id_number.birth_date"),  # 30 February
        ("99010519491231002X", "id_number.region"),
        ("11010519491231A02X", "id_number.characters"),
        ("", "id_number.empty"),
    ],
)
def test_r_sec_1_invalid_identity_numbers_are_refused_with_a_chinese_reason(number, code):
    with pytest.raises(IdNumberError) as exc:
        idnumber.validate(number)
    assert exc.value.code == code
    assert "身份证" in exc.value.message


def test_r_sec_1_birth_date_in_the_future_is_refused():
    from datetime import date

    with pytest.raises(IdNumberError):
        idnumber.validate(idnumber.make("62292120300101001"), today=date(2026, 11, 26))


def test_r_sec_1_masking_keeps_first_six_and_last_four():
    assert idnumber.mask("622921198001010011") == "622921********0011"
    assert idnumber.mask("") == ""


stems = st.builds(
    lambda area, d, seq: f"{area}{d:%Y%m%d}{seq:03d}",
    st.sampled_from(["622921", "110105", "440524", "622901"]),
    st.dates(
        min_value=__import__("datetime").date(1920, 1, 1),
        max_value=__import__("datetime").date(2020, 12, 31),
    ),
    st.integers(min_value=0, max_value=999),
)


@given(stems)
def test_r_sec_1_every_completed_number_is_valid(stem):
    assert idnumber.is_valid(idnumber.make(stem))


@given(stems, st.integers(min_value=14, max_value=16), st.integers(min_value=1, max_value=9))
def test_r_sec_1_any_single_wrong_sequence_digit_is_caught(stem, position, delta):
    number = idnumber.make(stem)
    wrong_digit = str((int(number[position]) + delta) % 10)
    wrong = number[:position] + wrong_digit + number[position + 1 :]
    assert not idnumber.is_valid(wrong)


@given(stems, st.integers(min_value=14, max_value=15))
def test_r_sec_1_swapped_adjacent_digits_are_caught(stem, position):
    number = idnumber.make(stem)
    if number[position] == number[position + 1]:
        return
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not idnumber.is_valid(swapped)
