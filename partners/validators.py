"""Validators for organization data, with messages in Japanese."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309d\u309e\u30fd\u30fe 　]+$")

validate_web_url = URLValidator(
    schemes=["http", "https"],
    code="scheme",
    message="http:// または https:// で始まるウェブサイトのURLを入力してください。",
)


def corporate_number_check_digit(base: str) -> int:
    """The National Tax Agency's check digit for the 12 digits that follow it."""
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return 9 - total % 9


def validate_corporate_number(value: str) -> None:
    if not re.fullmatch(r"[0-9]{13}", value):
        raise ValidationError(
            "法人番号は13桁の半角数字で入力してください（ハイフンなし）。", code="format"
        )
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        raise ValidationError(
            "法人番号が正しくありません（チェックデジットが一致しません）。"
            "国税庁の法人番号公表サイトで確認してください。",
            code="check_digit",
        )


def validate_kana(value: str) -> None:
    if not KANA.fullmatch(value):
        raise ValidationError(
            "団体名（カナ）は全角のカタカナまたはひらがなで入力してください（例：ミドリノテ）。",
            code="kana",
        )
