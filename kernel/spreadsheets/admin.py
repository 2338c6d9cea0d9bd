"""Admin glue for staff import/export: Japanese file names and export form, refusals explained."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

from kernel.spreadsheets.opendata import content_disposition


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
