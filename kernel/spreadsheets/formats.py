"""Spreadsheet formats for staff import/export, made for Excel in Japan.

CSV is written as UTF-8 with a BOM (so Excel opens it correctly) and read as UTF-8 (with or
without BOM) or Shift_JIS/CP932, detected without asking; formula cells are escaped.
"""

import tablib
from import_export.formats import base_formats

from kernel.spreadsheets.cells import decode_japanese_text, escape_formula, unescape_formula


def _map_cells(dataset, fn):
    rows = [[fn(cell) for cell in row] for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
    return dataset


class Titled:
    """The format's name in capitals where a clerk chooses it (CSV, not csv); tablib keeps
    its own lower-case key."""

    def get_title(self) -> str:
        return self.get_format().title.upper()

    def create_dataset(self, in_stream, **kwargs):
        return tablib.import_set(in_stream, format=self.get_format().title, **kwargs)

    def export_data(self, dataset, **kwargs):
        return dataset.export(self.get_format().title, **kwargs)


class ExcelCSV(Titled, base_formats.CSV):
    """CSV as Excel in Japan reads and writes it."""

    def is_binary(self) -> bool:
        return True  # keep the raw bytes: the encoding is detected, not assumed

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(decode_japanese_text(in_stream), **kwargs)
        return _map_cells(dataset, unescape_formula)

    def export_data(self, dataset, **kwargs) -> str:
        return "\ufeff" + _map_cells(dataset, escape_formula).export("csv", **kwargs)


class ExcelXLSX(Titled, base_formats.XLSX):
    def create_dataset(self, in_stream):
        return _map_cells(base_formats.XLSX.create_dataset(self, in_stream), unescape_formula)

    def export_data(self, dataset, **kwargs):
        return _map_cells(dataset, escape_formula).export("xlsx", **kwargs)


class JapaneseJSON(Titled, base_formats.JSON):
    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return super().create_dataset(decode_japanese_text(in_stream), **kwargs)


FORMATS = [ExcelCSV, ExcelXLSX, JapaneseJSON]
