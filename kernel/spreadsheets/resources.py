"""Resources: import never fails on a cell, and a file with any error is not imported at all.

Every bad value becomes an error on its row that names the column as the sheet does
(「事例No.：半角数字で入力してください」).
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.encoding import force_str
from django.utils.html import escape
from import_export import instance_loaders, resources
from import_export.results import RowResult
from import_export.widgets import ManyToManyWidget

from kernel.spreadsheets.cells import same_in_shift_jis
from kernel.spreadsheets.widgets import NameLookup, NumberWidget

logger = logging.getLogger(__name__)

IMPORT_REASON = "インポート"
BLANK = "空欄にはできません。入力してください"


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

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        # What the row is about, before its cells change it: a refused row still names it.
        if new:  # what its key cells say (事例No. 991), as the file has them
            fields = [self.fields.get(name) for name in self._meta.import_id_fields]
            keys = [f"{f.column_name} {row.get(f.column_name, '')}" for f in fields if f]
            self._row_target = (None, "、".join(keys))
        else:
            self._row_target = (instance.pk, str(instance))

    def import_row(self, row, instance_loader, **kwargs):
        self.current_row = row  # for check_row's rules that read a column as typed
        self._row_target = None
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.object_repr is None and self._row_target:
            row_result.object_id, row_result.object_repr = self._row_target
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
