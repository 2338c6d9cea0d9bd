"""What every form the public sends shares (inquiries, proposals, feedback and the apps above):
the honeypot, full-width input converted, lengths, single lines, selects and the error summary."""

import re

from django import forms

from lib.inputs import half_width, has_control_characters, phone_number

REQUIRED = "{}を入力してください。"
EMPTY_CHOICE = "選択してください"
DASHES = "---------"  # Django's empty choice
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{8,18}[0-9]$")
WRITE_FAILED = (
    "申し訳ありません。システムの一時的な問題で、送信できませんでした。"
    "入力内容はそのまま残っています。少し時間をおいて、もう一度「{}」を押してください。"
)


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    """A phone number as people type it: full-width digits, any dash or brackets accepted."""

    widget = TelInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "tel")

    def to_python(self, value) -> str:
        return phone_number(super().to_python(value))

    def validate(self, value) -> None:
        super().validate(value)
        if value and not PHONE.match(value):
            raise forms.ValidationError(
                "電話番号は数字とハイフンで入力してください（例：043-000-0000）。",
                code="invalid",
            )


def _single_line(label: str):
    def validate(value: str) -> None:
        if has_control_characters(value):
            raise forms.ValidationError(
                f"{label}に改行や制御文字は使えません。1行で入力してください。",
                code="control_characters",
            )

    return validate


class PublicForm(forms.Form):
    """What every form the public sends shares: a honeypot, full-width input converted before
    validation, a maximum length on every text (with a Japanese message naming it), single-line
    fields without line breaks, 「選択してください」 in selects and an error summary with links.

    Subclasses list extra fields to convert to half-width in `half_width_fields`; e-mail, URL
    and number fields are converted anyway.
    """

    half_width_fields: tuple[str, ...] = ()
    # Tables of rows sent with the form (formsets of PublicRowForm a subclass makes in its
    # __init__): their errors are the form's, keyed by input name, so that is_valid(), the
    # error summary and 【入力エラー】 count them.
    formsets: tuple[forms.BaseFormSet, ...] = ()

    website_url = forms.CharField(
        required=False,
        max_length=200,
        label="この欄は空のままにしてください",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Japanese labels take no colon
        super().__init__(*args, **kwargs)

    # Fields are prepared when first shown or cleaned, so those a subclass adds in its own
    # __init__ (after this one) are prepared too.
    def __getitem__(self, name: str) -> forms.BoundField:
        _prepare(self.fields[name])
        return super().__getitem__(name)

    def full_clean(self) -> None:
        for field in self.fields.values():
            _prepare(field)
        if self.is_bound and not getattr(self, "_converted", False):
            self.data, self._converted = self._half_width(self.data), True
        super().full_clean()
        for formset in self.formsets if self.is_bound else ():
            for error in formset.non_form_errors():
                self.add_error(None, error)
            for row in formset:
                for bound in row:
                    if bound.errors:
                        self._errors[bound.html_name] = bound.errors

    def _half_width(self, data):
        data = data.copy()  # a QueryDict is immutable; its copy is not
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if (
                name in self.half_width_fields
                or isinstance(field, (forms.EmailField, forms.URLField, forms.IntegerField))
            ) and isinstance(data.get(key), str):
                data[key] = half_width(data[key])
        return data

    def clean_website_url(self):
        if self.cleaned_data.get("website_url"):
            raise forms.ValidationError(
                "送信できませんでした。お手数ですが、ページを読み込み直してからお試しください。"
            )
        return ""

    def error_summary(self) -> list[tuple[str, str]]:
        """Each error with the id of the input it is about ("" for the form's own)."""
        return error_summary(self)


class PublicRowForm(PublicForm):
    """One row of a table in a public form (a form of a PublicRows formset): prepared as the
    form's own fields are, told its number (from 1) for its labels and messages."""

    website_url = None  # the page's form has the honeypot

    def __init__(self, *args, row: int, **kwargs):
        kwargs["empty_permitted"] = False  # every row is read, whatever the management form says
        super().__init__(*args, **kwargs)
        self.row = row


class PublicRows(forms.BaseFormSet):
    """The rows of a table: as many as its initial rows, never more, each told its number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_num = self.absolute_max = len(self.initial or ())

    def get_form_kwargs(self, index: int | None) -> dict:
        return {**super().get_form_kwargs(index), "row": None if index is None else index + 1}


def _prepare(field: forms.Field) -> None:
    if getattr(field, "public_ready", False):
        return
    field.public_ready = True
    label = field.label or "この項目"
    if isinstance(field, forms.CharField):
        field.error_messages["max_length"] = (
            f"{label}は{field.max_length or 0:,}文字以内で入力してください"
            "（いま%(show_value)d文字です）。"
        )
        if isinstance(field.widget, forms.Textarea):
            # Typing past a textarea's maxlength is silently cut (pasting too); the server
            # refuses it with a message instead, and the help text gives the limit.
            field.widget.attrs.pop("maxlength", None)
            if field.max_length and not field.help_text:
                field.help_text = f"{field.max_length:,}文字以内"
        else:
            field.validators.append(_single_line(label))
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if choices and choices[0] == ("", DASHES):  # Django's; a label of the form's own stays
            # Radios need no empty choice (its id would take the _0 the summary links to).
            radios = isinstance(field.widget, forms.RadioSelect)
            field.choices = choices[1:] if radios else [("", EMPTY_CHOICE), *choices[1:]]


def error_summary(form: forms.Form) -> list[tuple[str, str]]:
    """A form's errors in field order, each with the id of its input ("" for the form's own
    errors and hidden inputs', the honeypot's among them)."""
    rows = [("", str(error)) for error in form.non_field_errors()]
    for bound in form:
        if bound.name == "website_url":  # shown, but hidden from people by CSS
            rows += [("", str(error)) for error in bound.errors]
            continue
        anchor = "" if bound.is_hidden else bound.id_for_label or f"{bound.auto_id}_0"  # radios
        rows += [(anchor, str(error)) for error in bound.errors]
    for formset in getattr(form, "formsets", ()):
        for row in formset:
            rows += [(b.id_for_label, str(e)) for b in row for e in b.errors]
    return rows
