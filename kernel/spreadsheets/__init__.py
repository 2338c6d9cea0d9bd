"""Spreadsheets for staff import/export and open data, made for Excel in Japan.

- `cells`: formula escaping, encoding detection, Shift_JIS's twin characters;
- `opendata`: streamed CSV and download file names;
- `formats`: CSV, XLSX and JSON as import-export formats;
- `widgets`: a cell to a value, or a Japanese message;
- `resources`: per-column errors, all-or-nothing files, import history;
- `admin`: the admin mixin (file names, export form, refused imports).
"""

from kernel.spreadsheets.admin import JapaneseExportForm, SpreadsheetAdminMixin
from kernel.spreadsheets.cells import (
    FORMULA_STARTS,
    decode_japanese_text,
    escape_formula,
    same_in_shift_jis,
    unescape_formula,
)
from kernel.spreadsheets.formats import FORMATS, ExcelCSV, ExcelXLSX, JapaneseJSON
from kernel.spreadsheets.opendata import content_disposition, csv_lines
from kernel.spreadsheets.resources import (
    BLANK,
    IMPORT_REASON,
    ChangedCell,
    ChangesOnly,
    SpreadsheetResource,
    TolerantInstanceLoader,
    integer_range,
)
from kernel.spreadsheets.widgets import (
    ChoiceWidget,
    DateWidget,
    NameLookup,
    NamesWidget,
    NameWidget,
    NumberWidget,
    TextWidget,
    YesNoWidget,
    column,
    integer,
    iso_date,
)

__all__ = [
    "BLANK",
    "FORMATS",
    "FORMULA_STARTS",
    "IMPORT_REASON",
    "ChangedCell",
    "ChangesOnly",
    "ChoiceWidget",
    "DateWidget",
    "ExcelCSV",
    "ExcelXLSX",
    "JapaneseExportForm",
    "JapaneseJSON",
    "NameLookup",
    "NameWidget",
    "NamesWidget",
    "NumberWidget",
    "SpreadsheetAdminMixin",
    "SpreadsheetResource",
    "TextWidget",
    "TolerantInstanceLoader",
    "YesNoWidget",
    "column",
    "content_disposition",
    "csv_lines",
    "decode_japanese_text",
    "escape_formula",
    "integer",
    "integer_range",
    "iso_date",
    "same_in_shift_jis",
    "unescape_formula",
]
