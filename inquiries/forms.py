"""Public forms: validation only, with messages in Japanese next to each field (staff review
forms: review_forms.py)."""

import re
import unicodedata

from django import forms

from cases.models import Case
from inquiries.models import Inquiry, PageFeedback, UpdateProposal
from inquiries.proposals import items_for, stored_text
from kernel.forms import EMPTY_CHOICE, REQUIRED, PhoneField, PublicForm
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
        self.schedule_count = len(self.current["schedule"]) + 3
        for i, row in enumerate(_padded(self.current["schedule"], self.schedule_count), 1):
            self.fields[f"schedule_{i}_period"] = forms.CharField(
                label=f"年間スケジュール{i}行目の時期",
                required=False,
                max_length=50,
                initial=row[0],
            )
            self.fields[f"schedule_{i}_activity"] = forms.CharField(
                label=f"年間スケジュール{i}行目の内容",
                required=False,
                max_length=300,
                initial=row[1],
            )
        self.record_count = len(self.current["records"]) + 2
        kinds = [("", EMPTY_CHOICE), *OrganizationRecord.Kind.choices]
        for i, row in enumerate(_padded(self.current["records"], self.record_count, 3), 1):
            self.fields[f"record_{i}_year"] = forms.CharField(
                label=f"活動実績{i}行目の年度", required=False, max_length=6, initial=row[0] or ""
            )
            self.fields[f"record_{i}_kind"] = forms.ChoiceField(
                label=f"活動実績{i}行目の種別", required=False, choices=kinds, initial=row[1]
            )
            self.fields[f"record_{i}_title"] = forms.CharField(
                label=f"活動実績{i}行目の内容", required=False, max_length=200, initial=row[2]
            )
        for i in range(1, MAX_PHOTOS + 1):
            self.fields[f"photo_{i}"] = forms.FileField(
                label=f"写真{i}",
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,image/webp"}
                ),
            )
            self.fields[f"photo_{i}_alt"] = forms.CharField(
                label=f"写真{i}の説明（代替テキスト）",
                required=False,
                max_length=300,
                help_text="写真を見られない人に内容を伝える文です。写真を送る場合は必須です。",
            )
            self.fields[f"photo_{i}_caption"] = forms.CharField(
                label=f"写真{i}のキャプション", required=False, max_length=200
            )

    # Field groups, in the order the page shows them.
    def sender_fields(self):
        return [self[name] for name in ("name", "organization", "email", "relation", "message")]

    def text_fields(self):
        keys = ["title", "budget", "budget_note", "summary", "background", "activities"]
        return [self["budget"] if k == "budget" else self[self.items[k].field_name] for k in keys]

    def schedule_rows(self):
        return [
            (self[f"schedule_{i}_period"], self[f"schedule_{i}_activity"])
            for i in range(1, self.schedule_count + 1)
        ]

    def role_fields(self):
        keys = ["lead_role", *(k for k in self.items if k.startswith("partner:"))]
        return [self[self.items[k].field_name] for k in keys]

    def result_fields(self):
        return [self[self.items[k].field_name] for k in ("outcomes", "tips", "future_plans")]

    def organization_fields(self):
        return [self[item.field_name] for k, item in self.items.items() if k.startswith("org")]

    def record_rows(self):
        return [
            (self[f"record_{i}_year"], self[f"record_{i}_kind"], self[f"record_{i}_title"])
            for i in range(1, self.record_count + 1)
        ]

    def photo_fields(self):
        return [
            (self[f"photo_{i}"], self[f"photo_{i}_alt"], self[f"photo_{i}_caption"])
            for i in range(1, MAX_PHOTOS + 1)
        ]

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
        cleaned["schedule"] = self._rows("schedule", self.schedule_count, SCHEDULE_COLUMNS)
        cleaned["records"] = self._rows("record", self.record_count, RECORD_COLUMNS)
        photos = []
        for i in range(1, MAX_PHOTOS + 1):
            upload = cleaned.get(f"photo_{i}")
            if not upload:
                continue
            try:
                data, name = clean_image(upload.read())
            except ImageRejected as error:
                self.add_error(f"photo_{i}", str(error))
                continue
            alt = (cleaned.get(f"photo_{i}_alt") or "").strip()
            if not alt:
                self.add_error(f"photo_{i}_alt", "写真の説明（代替テキスト）を入力してください。")
            photos.append(
                {
                    "data": data,
                    "name": name,
                    "alt": alt,
                    "caption": cleaned.get(f"photo_{i}_caption", ""),
                }
            )
        cleaned["photos"] = photos
        if not self.errors and not self.changes() and not photos:
            raise forms.ValidationError(
                "掲載内容に変更がありません。変更したい項目を書き換えるか、写真を添付してください。"
            )
        return cleaned

    def _rows(self, prefix: str, count: int, columns: dict[str, str]) -> list[list]:
        """Filled rows of a table; a half-filled row gets an error on its empty cells."""
        rows = []
        for i in range(1, count + 1):
            values = {
                c: (self.cleaned_data.get(f"{prefix}_{i}_{c}") or "").strip() for c in columns
            }
            if not any(values.values()):
                continue
            for column, label in columns.items():
                if not values[column]:
                    verb = "選んで" if column == "kind" else "入力して"
                    self.add_error(f"{prefix}_{i}_{column}", f"{i}行目の{label}を{verb}ください。")
            if "year" in values and values["year"]:
                year = unicodedata.normalize("NFKC", values["year"])
                if not (year.isdigit() and 1900 <= int(year) <= 2100):
                    self.add_error(
                        f"{prefix}_{i}_year",
                        f"{i}行目の年度は西暦4桁で入力してください（例：2024）。",
                    )
                    continue
                values["year"] = int(year)
            rows.append(list(values.values()))
        return rows

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


SCHEDULE_COLUMNS = {"period": "時期", "activity": "内容"}
RECORD_COLUMNS = {"year": "年度", "kind": "種別", "title": "内容"}


def _padded(rows: list[list], count: int, width: int = 2) -> list[list]:
    return [*rows, *([[""] * width] * (count - len(rows)))]


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
