"""Resident identity numbers (居民身份证号码), GB 11643-1999. Pure: no Django.

An 18-character number: a 6-digit address code, an 8-digit birth date, a 3-digit
sequence and a check character computed with ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits: the province-level codes of GB/T 2260.
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class IdNumberError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def normalize(raw: str) -> str:
    """Strip blanks and full-width characters people type; upper-case the X."""
    text = (raw or "").strip().replace(" ", "").replace("\u3000", "")
    text = text.translate(str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX"))
    return text.upper()


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def validate(raw: str, *, today: date | None = None) -> str:
    """Return the normalized number or raise IdNumberError with a Chinese message."""
    number = normalize(raw)
    if not number:
        raise IdNumberError("id_number.empty", "请填写身份证号码。")
    if len(number) != 18:
        raise IdNumberError("id_number.length", f"身份证号码应为18位，您填写的是{len(number)}位。")
    if not _SHAPE.match(number):
        raise IdNumberError(
            "id_number.characters", "身份证号码前17位应为数字，最后一位为数字或字母X。"
        )
    if number[:2] not in PROVINCE_CODES:
        raise IdNumberError("id_number.region", "身份证号码前6位的地区码不正确。")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("id_number.birth_date", "身份证号码中的出生日期不正确。") from None
    if born.year < 1900 or born > (today or date.today()):
        raise IdNumberError("id_number.birth_date", "身份证号码中的出生日期不正确。")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError(
            "id_number.check_digit",
            "身份证号码校验位不正确，请核对后重新填写（常见原因：某一位数字填错或顺序颠倒）。",
        )
    return number


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except IdNumberError:
        return False
    return True


def mask(number: str) -> str:
    """Keep the first 6 and the last 4 characters: 622921********123X."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def birth_date(number: str) -> date:
    number = validate(number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def make(first17: str) -> str:
    """Complete a 17-digit stem with its check character (demo data, tests)."""
    return first17 + check_char(first17)


# An identity number inside any text: 17 digits and a check character, or an old
# 15-digit number, not part of a longer run of digits. By shape only (a mistyped check
# character is still someone's number), after full-width digits are read as digits.
_IN_TEXT = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")
_WIDE = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")


def holds_number(text: str) -> bool:
    """Whether ``text`` holds something shaped like an identity number."""
    return bool(text) and _IN_TEXT.search(str(text).translate(_WIDE)) is not None


def mask_text(text: str) -> str:
    """``text`` with every identity number in it masked (``mask``)."""
    return _IN_TEXT.sub(lambda m: mask(m.group(0)), str(text or "").translate(_WIDE))
