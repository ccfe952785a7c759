import datetime

import pytest
from django.core.exceptions import ValidationError

from portal.core.identity import (
    id_check_character,
    normalize_uscc,
    uscc_check_character,
    uscc_region_code,
    validate_id_number,
    validate_phone,
    validate_uscc,
)
from portal.core.masking import mask_email, mask_id_number, mask_phone, mask_uscc
from tests.accounts.factories import make_id_number, make_uscc, wrong_check

# published examples with known check characters
KNOWN_USCC = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]
KNOWN_ID = ["11010519491231002X", "110101199003074514"]


@pytest.mark.parametrize("value", KNOWN_USCC)
def test_validate_uscc_accepts_published_codes(value):
    assert uscc_check_character(value[:17]) == value[17]  # the check character as published
    assert validate_uscc(value) is None  # accepted: no ValidationError


def test_validate_uscc_accepts_lower_case_and_spaces():
    validate_uscc(" " + KNOWN_USCC[0].lower() + " ")
    assert normalize_uscc(" 91350100m000100y43 ") == KNOWN_USCC[0]


@pytest.mark.parametrize(
    "value", ["", "123", "91350100M000100Y4", "91350100M000100Y431", "9135010OM000100Y43"]
)
def test_validate_uscc_rejects_format(value):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(value)
    assert exc.value.code == "uscc_format"


@pytest.mark.parametrize("value", KNOWN_USCC)
def test_validate_uscc_rejects_bad_check_character(value):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(wrong_check(value))
    assert exc.value.code == "uscc_checksum"


def test_uscc_region_code_is_digits_3_to_8():
    assert uscc_region_code(make_uscc(region="320582")) == "320582"


@pytest.mark.parametrize("value", KNOWN_ID + [make_id_number()])
def test_validate_id_number_accepts_valid(value):
    assert id_check_character(value[:17]) == value[17]
    assert validate_id_number(value) is None  # accepted: no ValidationError


def test_validate_id_number_accepts_lower_case_x():
    assert KNOWN_ID[0].lower().endswith("x")
    assert validate_id_number(KNOWN_ID[0].lower()) is None


@pytest.mark.parametrize("value", ["", "1101051949123100", "01010519491231002X", "11010519491231002Y"])
def test_validate_id_number_rejects_format(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert exc.value.code == "id_format"


@pytest.mark.parametrize("birth", ["19900230", "19901301", "18991231"])
def test_validate_id_number_rejects_impossible_birth_date(birth):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(make_id_number(birth=birth))
    assert exc.value.code == "id_birth_date"


def test_validate_id_number_rejects_future_birth_date():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(make_id_number(birth=tomorrow.strftime("%Y%m%d")))
    assert exc.value.code == "id_birth_date"


@pytest.mark.parametrize("value", KNOWN_ID)
def test_validate_id_number_rejects_bad_check_digit(value):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(wrong_check(value))
    assert exc.value.code == "id_checksum"


@pytest.mark.parametrize("value", ["1381234567", "23812345678", "1381234567a", "12812345678"])
def test_validate_phone_rejects(value):
    with pytest.raises(ValidationError) as exc:
        validate_phone(value)
    assert exc.value.code == "phone_format"


def test_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("440305199001011234") == "4403**********1234"
    assert mask_uscc("91350100M000100Y43") == "91350100******0Y43"
    assert mask_email("zhang@example.com") == "z***@example.com"
    assert mask_phone("") == ""
