"""Spreadsheet formats and widgets for staff import/export, made for Excel in Japan.

CSV is written as UTF-8 with a BOM (so Excel opens it correctly) and read as UTF-8 (with or
without BOM) or Shift_JIS/CP932, detected without asking. Cells that a spreadsheet would run
as a formula get a leading apostrophe on export, which import takes off again.
"""

from import_export import fields, widgets
from import_export.formats import base_formats
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def decode_japanese_text(data: bytes | str) -> str:
    """UTF-8 (BOM or not) first; what is not valid UTF-8 is read as CP932 (Excel's Shift_JIS)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932")


def _map_cells(dataset, fn):
    rows = [[fn(cell) for cell in row] for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
    return dataset


class ExcelCSV(base_formats.CSV):
    """CSV as Excel in Japan reads and writes it."""

    def is_binary(self) -> bool:
        return True  # keep the raw bytes: the encoding is detected, not assumed

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        dataset = base_formats.TablibFormat.create_dataset(
            self, decode_japanese_text(in_stream), **kwargs
        )
        return _map_cells(dataset, unescape_formula)

    def export_data(self, dataset, **kwargs) -> str:
        return "\ufeff" + _map_cells(dataset, escape_formula).export("csv", **kwargs)


class ExcelXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return _map_cells(super().create_dataset(in_stream), unescape_formula)

    def export_data(self, dataset, **kwargs):
        return _map_cells(dataset, escape_formula).export("xlsx", **kwargs)


class JapaneseJSON(base_formats.JSON):
    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return base_formats.TablibFormat.create_dataset(
            self, decode_japanese_text(in_stream), **kwargs
        )


FORMATS = [ExcelCSV, ExcelXLSX, JapaneseJSON]


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

    def __init__(self, model, label: str):
        super().__init__(model, field="name")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip() if isinstance(value, str) else value
        if not value:
            return None
        if value not in self.by_name():
            raise ValueError(f"{self.label}「{value}」は登録されていません。")
        return self.by_name()[value]


class NamesWidget(NameLookup, ManyToManyWidget):
    """Several related objects by name, separated by 「|」; unknown names are reported."""

    def __init__(self, model, label: str):
        super().__init__(model, separator="|", field="name")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(self.separator) if n.strip()]
        unknown = sorted(set(names) - set(self.by_name()))
        if unknown:
            raise ValueError(f"{self.label}「{'」「'.join(unknown)}」は登録されていません。")
        return [self.by_name()[name] for name in dict.fromkeys(names)]

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(o.name for o in value.all()) if value is not None else ""


def column(attribute: str, header: str, widget=None) -> fields.Field:
    """A spreadsheet column with a Japanese header; text unless another widget is given."""
    return fields.Field(
        attribute=attribute, column_name=header, widget=widget or widgets.CharWidget()
    )


def integer() -> widgets.IntegerWidget:
    return widgets.IntegerWidget()


def iso_date() -> widgets.DateWidget:
    return widgets.DateWidget(format="%Y-%m-%d")


class NamedRelationsResource:
    """Resets the name lookups of a resource's widgets before each import."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        for field in self.get_import_fields():
            if isinstance(field.widget, NameLookup):
                field.widget.reset()
