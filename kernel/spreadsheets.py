"""Spreadsheet formats, widgets and admin glue for staff import/export, made for Excel in Japan.

CSV is written as UTF-8 with a BOM (so Excel opens it correctly) and read as UTF-8 (with or
without BOM) or Shift_JIS/CP932, detected without asking. Cells that a spreadsheet would run
as a formula get a leading apostrophe on export, which import takes off again.

Import never fails on a cell: every bad value becomes an error on its row that names the
column as the sheet does (「事例No.：半角数字で入力してください」), and a file with any such
error is not imported at all.
"""

import csv
import datetime
import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import TextChoices
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import escape
from import_export import fields, instance_loaders, resources, widgets
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

logger = logging.getLogger(__name__)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
IMPORT_REASON = "インポート"
BLANK = "空欄にはできません。入力してください"


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """UTF-8 CSV with a BOM for Excel, a line at a time (open data streams it); cells that
    could run as formulas are escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    yield "\ufeff" + flush()
    for row in rows:
        writer.writerow([escape_formula(v) if v is not None else "" for v in row.values()])
        yield flush()


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


# Shift_JIS has one code for each of these pairs, and reads it back as the second: a sheet that
# Excel saved turns 〜 into ～ though nobody changed the text.
_SHIFT_JIS_TWINS = str.maketrans("～∥－￠￡￢―", "〜‖−¢£¬—")


def same_in_shift_jis(old, new) -> bool:
    """Two texts that differ only where Shift_JIS cannot tell the characters apart."""
    if not isinstance(old, str) or not isinstance(new, str) or old == new:
        return False
    return old.translate(_SHIFT_JIS_TWINS) == new.translate(_SHIFT_JIS_TWINS)


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


# Widgets: each turns a cell into a value or raises ValueError with a Japanese message.
# The resource puts the column heading in front of the message.


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


class TolerantInstanceLoader(instance_loaders.CachedInstanceLoader):
    """Loads the file's existing rows in one query; a row whose key cannot be read is new.

    That row then fails with the key column's own error instead of failing the whole file.
    """

    def __init__(self, resource, dataset=None):
        instance_loaders.BaseInstanceLoader.__init__(self, resource, dataset)
        self.pk_field = resource.fields[resource.get_import_id_fields()[0]]
        ids = {self._key(row) for row in (dataset.dict if dataset else [])}
        ids.discard(None)
        queryset = self.get_queryset().filter(**{f"{self.pk_field.attribute}__in": ids})
        self.all_instances = {self.pk_field.get_value(obj): obj for obj in queryset}

    def _key(self, row):
        try:
            return self.pk_field.clean(row)
        except (KeyError, ValueError, ArithmeticError, TypeError):
            return None

    def get_instance(self, row):
        key = self._key(row)
        return None if key is None else self.all_instances.get(key)


class ChangedCell:
    """One column of a preview row: its heading, old and new value as the sheet writes them."""

    def __init__(self, header: str, old, new):
        self.header = header
        self.old = force_str(old if old is not None else "")
        self.new = force_str(new if new is not None else "")

    def __html__(self) -> str:  # the library's templates print row.diff cells
        return escape(self.new)

    def __str__(self) -> str:
        return self.new


class ChangesOnly(resources.Diff):
    """A preview row lists only the columns the import would change."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.headers = [f.column_name for f in resource.get_import_fields()]

    def as_html(self):
        return [
            ChangedCell(header, "" if self.new else old, new)
            for header, old, new in zip(self.headers, self.left, self.right, strict=False)
            if force_str(old) != force_str(new) or (self.new and new not in ("", None))
        ]


def integer_range(model_field) -> tuple[int | None, int | None]:
    """The range every supported database accepts for this integer field."""
    return BaseDatabaseOperations.integer_field_ranges.get(
        model_field.get_internal_type(), (None, None)
    )


class SpreadsheetResource(resources.ModelResource):
    """What both staff spreadsheets share: Japanese errors per column, all-or-nothing files.

    `publish_permission` and `publish_fields`: a user without that permission cannot change
    these columns by import; existing rows keep their values and new rows get the defaults.
    """

    publish_permission: str = ""
    publish_fields: tuple[str, ...] = ()

    @classmethod
    def get_diff_class(cls):
        return ChangesOnly

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, NumberWidget) and field.widget.max_value is None:
                model_field = self._meta.model._meta.get_field(field.attribute)
                field.widget.min_value, field.widget.max_value = integer_range(model_field)

    def may_publish(self, user) -> bool:
        """Without a user (scripts, the bench) the import has every right."""
        return user is None or not self.publish_permission or user.has_perm(self.publish_permission)

    def headings(self) -> dict[str, str]:
        names = {f.name: str(f.verbose_name) for f in self._meta.model._meta.get_fields()
                 if hasattr(f, "verbose_name")}  # fmt: skip
        return names | {f.attribute: f.column_name for f in self.get_import_fields()}

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True  # a file is imported whole or not at all
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        for field in self.get_import_fields():
            if isinstance(field.widget, NameLookup):
                field.widget.reset()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in self.publish_fields and not self.may_publish(kwargs.get("user")):
            return  # kept as it is (new rows: the model's default)
        before = None if is_m2m else getattr(instance, field.attribute, None)
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValueError:
            raise
        except Exception as e:  # a widget or field that fails otherwise is still the cell's fault
            logger.warning("import: %s could not be read: %r", field.column_name, e)
            raise ValueError("この値は読み取れません") from e
        if not is_m2m and same_in_shift_jis(before, getattr(instance, field.attribute, None)):
            setattr(instance, field.attribute, before)  # a round trip through Excel, no change

    def import_instance(self, instance, row, **kwargs):
        """Every column's error at once, many-to-many columns (saved later) included."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as e:
                    errors[field.attribute] = [ValidationError(force_str(e), code="invalid")]
        errors.update(self.check_row(instance))
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance) -> dict[str, str]:
        """Rules across columns, as {attribute: message}; the model's own come from full_clean."""
        return {}

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.errors:  # an unexpected failure: the row is refused, the reason logged
            for error in row_result.errors:
                logger.error("import row %s failed: %s", kwargs.get("row_number"), error.error)
            row_result.errors = []
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(
                {NON_FIELD_ERRORS: ["この行は読み込めませんでした。値を確かめてください"]}
            )
        if row_result.validation_error is not None:
            row_result.validation_error = self.name_columns(row_result.validation_error)
        return row_result

    def name_columns(self, error: ValidationError) -> ValidationError:
        """Errors keyed and prefixed by the column heading (「事例No.：半角数字で…」)."""
        headings = self.headings()
        by_column = {}
        for key, errors in error.update_error_dict({}).items():
            key_messages = [
                BLANK if getattr(e, "code", None) in ("null", "blank", "required") else m
                for e in errors
                for m in ValidationError(e).messages
            ]
            if key == NON_FIELD_ERRORS:
                by_column.setdefault(key, []).extend(key_messages)
                continue
            heading = headings.get(key, key)
            by_column.setdefault(heading, []).extend(f"{heading}：{m}" for m in key_messages)
        return ValidationError(by_column)


def write_import_history(model, objs: list, *, user, created: bool) -> None:
    """One history record per imported row, with who, 「インポート」 and the many-to-many values.

    Written in a few queries for the whole file, as create_historical_record_m2ms would per row.
    """
    if not objs:
        return
    history = getattr(model, model._meta.simple_history_manager_attribute)
    records = history.bulk_history_create(
        objs, update=not created, default_user=user, default_change_reason=IMPORT_REASON
    )
    by_pk = {getattr(record, model._meta.pk.attname): record for record in records}
    for m2m_field in history.model._history_m2m_fields:
        through = m2m_field.remote_field.through
        own_fk = next(f for f in through._meta.fields if f.is_relation and f.related_model is model)
        m2m_history_model = getattr(history.model, m2m_field.name).model
        rows = through.objects.filter(**{f"{own_fk.name}__in": list(by_pk)})
        m2m_history_model.objects.bulk_create(
            m2m_history_model(
                history=by_pk[getattr(row, own_fk.attname)],
                **{f.attname: getattr(row, f.attname) for f in through._meta.fields},
            )
            for row in rows
        )


def content_disposition(filename: str, fallback: str, *, kind: str = "attachment") -> str:
    """A download named in UTF-8 (RFC 5987/6266), with an ASCII name for old clients."""
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


class JapaneseExportForm(SelectableFieldsExportForm):
    """The export page's checkboxes named by the Japanese column heading alone."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


class SpreadsheetAdminMixin:
    """Export files named 「事例_2026-12-01.csv」; an import that cannot be confirmed says why.

    `export_name` is the Japanese file name stem; `import_rights_note` what the user's
    rights leave unchanged, shown above the preview.
    """

    export_name: str = ""
    export_form_class = JapaneseExportForm

    def import_rights_note(self, request: HttpRequest) -> str:
        return ""

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """A workbook gets numbers and dates as such (Excel sums and sorts them) and a sheet
        named like the file; text formats get text."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        native = isinstance(file_format, base_formats.XLSX)
        data = self.get_data_for_export(request, queryset, force_native_type=native, **kwargs)
        data.title = self.export_name or str(self.model._meta.verbose_name)
        return file_format.export_data(data)

    def get_export_filename(self, request, queryset, file_format) -> str:
        stem = self.export_name or str(self.model._meta.verbose_name)
        return f"{stem}_{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        filename = self.get_export_filename(request, queryset, file_format)
        fallback = f"{self.model._meta.model_name}_{timezone.localdate():%Y-%m-%d}"
        response["Content-Disposition"] = content_disposition(
            filename, f"{fallback}.{file_format.get_extension()}"
        )
        return response

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            response.context_data["import_rights_note"] = self.import_rights_note(request)
        return response

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The file changed or the data did since the preview; nothing was saved.
            messages.error(
                request,
                "ファイルに誤りがあったため、取り込みませんでした。"
                "もう一度インポートしてプレビューを確かめてください。",
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)
