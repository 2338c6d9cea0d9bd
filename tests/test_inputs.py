import pytest

from lib.inputs import half_width, has_control_characters, phone_number


@pytest.mark.parametrize(
    "typed",
    [
        "０４３－２２３－４１３３",
        "０４３ー２２３ー４１３３",  # the IME's long vowel mark
        "043‐223‐4133",
        "043−223−4133",
        "043–223—4133",
        "０４３ - ２２３ - ４１３３",
        "（０４３）２２３－４１３３",
        "043(223)4133",
    ],
)
def test_phone_numbers_as_typed_become_half_width_with_hyphens(typed):
    assert phone_number(typed) == "043-223-4133"


def test_half_width_converts_addresses_and_leaves_dashes_between_words():
    assert half_width("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ") == "taro@example.jp"
    assert half_width("ﾀﾛｳ－ＡＢＣ") == "タロウ-ABC"
    assert half_width("コーヒー") == "コーヒー"  # ー between kana is a vowel mark


@pytest.mark.parametrize(
    "value", ["花子\r\nBcc: a@example.jp", "a\tb", "a\x00b", "a\u2028b", "a\u202eb"]
)
def test_line_breaks_and_controls_are_found(value):
    assert has_control_characters(value)


def test_ordinary_japanese_has_no_controls():
    assert not has_control_characters("NPO法人みどり　千葉支部（テスト）")
