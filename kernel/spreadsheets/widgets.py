"""Widgets: each turns a cell into a value or raises ValueError with a Japanese message.

The resource puts the column heading in front of the message.
"""

import datetime
import re
import unicodedata

from django.db.models import TextChoices
from django.utils.encoding import force_str
from import_export import fields, widgets
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget


def _cell_text(value) -> str:
    """The cell as text, full-width digits and letters made half-width (Ｅｘｃｅｌ input)."""
    return unicodedata.normalize("NFKC", force_str(value)).strip()


class NumberWidget(widgets.IntegerWidget):
    """A whole number within the range of the model field (set by the resource)."""

    def __init__(self, min_value: int | None = None, max_value: int | None = None):
        super().__init__()
        self.min_value, self.max_value = min_value, max_value

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError("半角数字で入力してください")
        if isinstance(value, float):  # XLSX gives numbers as floats
            if not value.is_integer():
                raise ValueError("整数で入力してください")
            value = int(value)
        text = _cell_text("" if value is None else value).replace(",", "")
        if not text:
            return None
        if re.fullmatch(r"[+-]?\d+\.0*", text):
            text = text.split(".")[0]  # 901.0, as a spreadsheet may write a whole number
        if re.fullmatch(r"[+-]?\d*\.\d+", text):
            raise ValueError("整数で入力してください")
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError("半角数字で入力してください")
        # Never hand Python a huge string to convert: 40 digits are beyond every field.
        digits = text.lstrip("+-").lstrip("0") or "0"
        number = int(digits) if len(digits) <= 40 else 10**40
        number = -number if text.startswith("-") else number
        if self.min_value is not None and number < self.min_value:
            if self.min_value == 0:
                raise ValueError("0以上の数を入力してください（マイナスは使えません）")
            raise ValueError(f"{self.min_value:,}以上の数を入力してください")
        if self.max_value is not None and number > self.max_value:
            raise ValueError(f"{self.max_value:,}以下の数を入力してください")
        return number


class DateWidget(widgets.DateWidget):
    """A date as 2026-04-01 (also 2026/4/1, or an Excel date cell)."""

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _cell_text("" if value is None else value)
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?", text)
        if match:
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError:
                pass
        raise ValueError(f"「{text}」は日付として読めません。2026-04-01 の形で入力してください")


class ChoiceWidget(widgets.Widget):
    """One of a TextChoices, written by its Japanese label and read from the label or value."""

    def __init__(self, choices: type[TextChoices]):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = _cell_text("" if value is None else value)
        if not text:
            return ""
        for choice in self.choices:
            if text in (choice.label, choice.value) or text.lower() == choice.value:
                return choice.value
        labels = "".join(f"「{label}」" for label in self.choices.labels)
        raise ValueError(f"「{text}」は選べません。{labels}のいずれかを入力してください")

    def render(self, value, obj=None, **kwargs):
        if value in self.choices.values:
            return str(self.choices(value).label)
        return value or ""


class YesNoWidget(widgets.BooleanWidget):
    """はい / いいえ (also 1/0, true/false, ○/×); a blank cell is いいえ."""

    YES = {"はい", "1", "true", "yes", "○", "〇", "掲載"}
    NO = {"いいえ", "0", "false", "no", "×", "", "none", "null"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _cell_text("" if value is None else value).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"「{text}」は読めません。「はい」か「いいえ」を入力してください")

    def render(self, value, obj=None, **kwargs):
        return "はい" if value else "いいえ"


class NameLookup:
    """Looks names up once per import instead of once per row."""

    def reset(self) -> None:
        self._by_name = None

    def by_name(self) -> dict:
        if getattr(self, "_by_name", None) is None:
            self._by_name = {obj.name: obj for obj in self.model.objects.all()}
        return self._by_name


class NameWidget(NameLookup, ForeignKeyWidget):
    """A related object by its name; an unknown name is reported, never created."""

    def __init__(self, model):
        super().__init__(model, field="name")

    def clean(self, value, row=None, **kwargs):
        value = force_str(value).strip() if value is not None else ""
        if not value:
            return None
        if value not in self.by_name():
            raise ValueError(f"「{value}」は登録されていません")
        return self.by_name()[value]


class NamesWidget(NameLookup, ManyToManyWidget):
    """Several related objects by name, separated by 「|」; unknown names are reported."""

    def __init__(self, model):
        super().__init__(model, separator="|", field="name")

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in force_str(value or "").split(self.separator) if n.strip()]
        unknown = sorted(set(names) - set(self.by_name()))
        if unknown:
            raise ValueError(f"「{'」「'.join(unknown)}」は登録されていません")
        return [self.by_name()[name] for name in dict.fromkeys(names)]

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(o.name for o in value.all()) if value is not None else ""


class TextWidget(widgets.CharWidget):
    """Text; a NUL character (which PostgreSQL cannot store) is reported, not stored."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if "\x00" in text:
            raise ValueError("使えない文字（制御文字）が含まれています")
        return text


def column(attribute: str, header: str, widget=None) -> fields.Field:
    """A spreadsheet column with a Japanese header; text unless another widget is given."""
    return fields.Field(attribute=attribute, column_name=header, widget=widget or TextWidget())


def integer() -> NumberWidget:
    """A whole number; the resource limits it to what its model field can hold."""
    return NumberWidget()


def iso_date() -> DateWidget:
    return DateWidget()
