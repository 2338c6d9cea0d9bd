"""Public forms: validation only, with messages in Japanese next to each field (staff review
forms: review_forms.py)."""

import re
import unicodedata

from django import forms
from django.forms import formset_factory

from cases.models import Case
from inquiries.models import Inquiry, PageFeedback, UpdateProposal
from inquiries.proposals import items_for, stored_text
from kernel.forms import (
    EMPTY_CHOICE,
    REQUIRED,
    PhoneField,
    PublicForm,
    PublicRowForm,
    PublicRows,
)
from lib.images import ImageRejected, clean_image
from partners.models import OrganizationRecord

MAX_PHOTOS = 3
HoneypotForm = PublicForm  # the name it had before it did more


def _required(form: forms.Form, labels: dict[str, str]) -> None:
    for name, label in labels.items():
        form.fields[name].error_messages["required"] = REQUIRED.format(label)


class InquiryForm(PublicForm, forms.ModelForm):
    case_number = forms.IntegerField(
        label="関連する事例No.",
        required=False,
        min_value=1,
        help_text="特定の事例についてのお問い合わせの場合に入力してください。",
        error_messages={"invalid": "事例No.は数字で入力してください。"},
    )
    phone = PhoneField(
        label="電話番号",
        required=False,
        help_text="任意です。お電話での連絡を希望される場合に入力してください。",
    )
    consent = forms.BooleanField(
        label="プライバシーポリシーに同意する",
        error_messages={"required": "送信するには、プライバシーポリシーへの同意が必要です。"},
    )

    class Meta:
        model = Inquiry
        fields = ["kind", "name", "organization", "email", "phone", "message"]
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {"email": "ご返信に使います（例：taro@example.jp）。"}

    field_order = ["kind", "name", "organization", "email", "phone", "case_number", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"name": "お名前", "email": "メールアドレス", "message": "内容"})
        self.fields["kind"].error_messages["required"] = "種類を選んでください。"
        self.fields["email"].error_messages["invalid"] = (
            "メールアドレスの形式が正しくありません（例：taro@example.jp）。"
        )

    def contact_fields(self):
        """The fields shown one after another; kind, consent and the honeypot stand apart."""
        return [f for f in self if f.name not in ("kind", "consent", "website_url")]

    def clean_case_number(self) -> int | None:
        number = self.cleaned_data.get("case_number")
        if number and not Case.objects.published().filter(number=number).exists():
            raise forms.ValidationError(
                f"事例No.{number}は見つかりませんでした。番号をご確認ください。"
            )
        return number


class TableRow(PublicRowForm):
    """A row of a table the sender edits: left blank as a whole, or with every cell filled.

    Its labels name the table and the row (「年間スケジュール2行目の時期」); `values` holds the
    row's cells once it is cleaned, None for a blank or refused row.
    """

    table = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = {name: field.label for name, field in self.fields.items()}
        for field in self.fields.values():
            field.label = f"{self.table}{self.row}行目の{field.label}"
        self.values = None

    def clean(self):
        cleaned = super().clean()
        values = {c: (cleaned.get(c) or "").strip() for c in self.columns}
        if not any(values.values()):
            return cleaned
        for column, label in self.columns.items():
            if not values[column]:
                verb = "選んで" if column == "kind" else "入力して"
                self.add_error(column, f"{self.row}行目の{label}を{verb}ください。")
        if values.get("year"):
            year = unicodedata.normalize("NFKC", values["year"])
            if not (year.isdigit() and 1900 <= int(year) <= 2100):
                self.add_error(
                    "year", f"{self.row}行目の年度は西暦4桁で入力してください（例：2024）。"
                )
                return cleaned
            values["year"] = int(year)
        self.values = list(values.values())
        return cleaned


class ScheduleRow(TableRow):
    table = "年間スケジュール"
    period = forms.CharField(label="時期", required=False, max_length=50)
    activity = forms.CharField(label="内容", required=False, max_length=300)


class RecordRow(TableRow):
    table = "活動実績"
    year = forms.CharField(label="年度", required=False, max_length=6)
    kind = forms.ChoiceField(
        label="種別",
        required=False,
        choices=[("", EMPTY_CHOICE), *OrganizationRecord.Kind.choices],
    )
    title = forms.CharField(label="内容", required=False, max_length=200)


class PhotoRow(PublicRowForm):
    """A photo with its description and caption; `photo` holds it once it is cleaned."""

    image = forms.FileField(
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(
        required=False,
        max_length=300,
        help_text="写真を見られない人に内容を伝える文です。写真を送る場合は必須です。",
    )
    caption = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].label = f"写真{self.row}"
        self.fields["alt"].label = f"写真{self.row}の説明（代替テキスト）"
        self.fields["caption"].label = f"写真{self.row}のキャプション"
        self.photo = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("image")
        if not upload:
            return cleaned
        try:
            data, name = clean_image(upload.read())
        except ImageRejected as error:
            self.add_error("image", str(error))
            return cleaned
        alt = (cleaned.get("alt") or "").strip()
        if not alt:
            self.add_error("alt", "写真の説明（代替テキスト）を入力してください。")
        self.photo = {"data": data, "name": name, "alt": alt, "caption": cleaned.get("caption", "")}
        return cleaned


ScheduleRows = formset_factory(ScheduleRow, formset=PublicRows, extra=0)
RecordRows = formset_factory(RecordRow, formset=PublicRows, extra=0)
PhotoRows = formset_factory(PhotoRow, formset=PublicRows, extra=0)


class UpdateProposalForm(PublicForm, forms.ModelForm):
    """The sender, the case as it should read (texts, budget, schedule, roles, the lead
    organization's profile and records), and up to three photos."""

    consent = forms.BooleanField(
        label="プライバシーポリシーに同意する",
        error_messages={"required": "送信するには、プライバシーポリシーへの同意が必要です。"},
    )

    class Meta:
        model = UpdateProposal
        fields = ["name", "organization", "email", "relation", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        labels = {"message": "担当者へのメッセージ（任意）"}

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.items = items_for(case)
        self.current = {key: item.current(case) for key, item in self.items.items()}
        _required(self, {"name": "お名前", "organization": "団体名", "email": "メールアドレス"})
        self.fields["relation"].error_messages["required"] = "事例との関係を選んでください。"
        self.fields["email"].error_messages["invalid"] = (
            "メールアドレスの形式が正しくありません（例：taro@example.jp）。"
        )
        for item in self.items.values():
            if item.editable:
                self.fields[item.field_name] = _text_field(item, self.current[item.key])
        self.fields["budget"] = forms.CharField(
            label="事業費（円）",
            required=False,
            initial="" if case.budget is None else f"{case.budget:,}",
            max_length=20,
            help_text="数字で入力してください（例：800,000）。不明の場合は空欄にします。",
        )
        # The current rows, and a few blank ones to add.
        sent = {"data": self.data, "files": self.files} if self.is_bound else {}
        schedule = [{"period": p, "activity": a} for p, a in self.current["schedule"]]
        records = [{"year": y or "", "kind": k, "title": t} for y, k, t in self.current["records"]]
        self.schedule = ScheduleRows(**sent, prefix="schedule", initial=[*schedule, *[{}] * 3])
        self.records = RecordRows(**sent, prefix="records", initial=[*records, *[{}] * 2])
        self.photos = PhotoRows(**sent, prefix="photos", initial=[{}] * MAX_PHOTOS)
        self.formsets = (self.schedule, self.records, self.photos)

    # Field groups, in the order the page shows them.
    def sender_fields(self):
        return [self[name] for name in ("name", "organization", "email", "relation", "message")]

    def text_fields(self):
        keys = ["title", "budget", "budget_note", "summary", "background", "activities"]
        return [self["budget"] if k == "budget" else self[self.items[k].field_name] for k in keys]

    def role_fields(self):
        keys = ["lead_role", *(k for k in self.items if k.startswith("partner:"))]
        return [self[self.items[k].field_name] for k in keys]

    def result_fields(self):
        return [self[self.items[k].field_name] for k in ("outcomes", "tips", "future_plans")]

    def organization_fields(self):
        return [self[item.field_name] for k, item in self.items.items() if k.startswith("org")]

    def clean_budget(self) -> int | None:
        text = unicodedata.normalize("NFKC", self.cleaned_data["budget"])
        text = re.sub(r"[\s,円]", "", text)
        if not text:
            return None
        if not text.isdigit():
            raise forms.ValidationError(
                "事業費は数字で入力してください（例：800,000）。不明の場合は空欄にします。"
            )
        if int(text) >= 10**13:
            raise forms.ValidationError("事業費の桁数が多すぎます。金額をご確認ください。")
        return int(text)

    def clean(self):
        cleaned = super().clean()
        rows_valid = all([formset.is_valid() for formset in self.formsets])  # cleans every row
        cleaned["schedule"] = [row.values for row in self.schedule if row.values is not None]
        cleaned["records"] = [row.values for row in self.records if row.values is not None]
        cleaned["photos"] = photos = [row.photo for row in self.photos if row.photo]
        if not self.errors and rows_valid and not self.changes() and not photos:
            raise forms.ValidationError(
                "掲載内容に変更がありません。変更したい項目を書き換えるか、写真を添付してください。"
            )
        return cleaned

    def changes(self) -> dict:
        """The items the sender changed, with text in the line endings we store."""
        result = {}
        for key, item in self.items.items():
            if item.editable:
                value = stored_text(self.cleaned_data.get(item.field_name))
                changed = value != stored_text(self.current[key])
            else:
                value = self.cleaned_data.get(key)
                changed = value != self.current[key]
            if changed:
                result[key] = value
        return result


def _text_field(item, initial: str) -> forms.CharField:
    model_field = item.model_field
    return forms.CharField(
        label=item.label,
        initial=initial,
        required=not model_field.blank,
        max_length=getattr(model_field, "max_length", None) or 10_000,
        validators=[v for v in model_field.validators if not hasattr(v, "limit_value")],
        widget=forms.TextInput()
        if model_field.get_internal_type() in ("CharField", "URLField")
        else forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": REQUIRED.format(item.label),
            "max_length": f"{item.label}が長すぎます。",
        },
    )


class FeedbackForm(PublicForm, forms.ModelForm):
    """The widget on every page; its fields are written by hand in includes/feedback.html."""

    # The page's address is cut to the stored length, not refused, like a long query string.
    path = forms.CharField(max_length=2000, widget=forms.HiddenInput)

    class Meta:
        model = PageFeedback
        fields = ["path", "useful", "findable", "comment"]
        labels = {"comment": "ご意見"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "fb-%s")  # the ids includes/feedback.html gives its inputs
        super().__init__(*args, **kwargs)

    def clean_path(self) -> str:
        path = self.cleaned_data["path"]
        if not path.startswith("/") or path.startswith("//"):
            raise forms.ValidationError("ページの指定が正しくありません。")
        return path.split("?")[0][:300]

    def clean(self):
        cleaned = super().clean()
        answered = [cleaned.get("useful"), cleaned.get("findable"), cleaned.get("comment")]
        if not self.errors and all(v in (None, "") for v in answered):
            raise forms.ValidationError(
                "いずれかの質問にお答えいただくか、ご意見を入力してから送信してください。"
            )
        return cleaned

    def answers(self) -> dict:
        return {f: self.cleaned_data[f] for f in ("path", "useful", "findable", "comment")}
