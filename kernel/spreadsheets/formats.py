"""Spreadsheet formats for staff import/export, made for Excel in Japan.

CSV is written as UTF-8 with a BOM (so Excel opens it correctly) and read as UTF-8 (with or
without BOM) or Shift_JIS/CP932, detected without asking; formula cells are escaped.
"""

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
