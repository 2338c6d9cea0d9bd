"""Public forms: validation only, with messages in Japanese next to each field."""

import re

from django import forms

from cases.models import Case
from collanavi.lib.images import ImageRejected, clean_image
from inquiries.models import PROPOSABLE_FIELDS, Inquiry, PageFeedback, UpdateProposal

REQUIRED = "{}を入力してください。"
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{8,18}[0-9]$")
MAX_PHOTOS = 3


class HoneypotForm(forms.Form):
    """A field people never see; programs that fill every field are refused."""

    website_url = forms.CharField(
        required=False,
        label="この欄は空のままにしてください",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Japanese labels take no colon
        super().__init__(*args, **kwargs)

    def clean_website_url(self):
        if self.cleaned_data.get("website_url"):
            raise forms.ValidationError(
                "送信できませんでした。お手数ですが、ページを読み込み直してからお試しください。"
            )
        return ""


def _required(form: forms.Form, labels: dict[str, str]) -> None:
    for name, label in labels.items():
        form.fields[name].error_messages["required"] = REQUIRED.format(label)


class InquiryForm(HoneypotForm, forms.ModelForm):
    case_number = forms.IntegerField(
        label="関連する事例No.",
        required=False,
        min_value=1,
        help_text="特定の事例についてのお問い合わせの場合に入力してください。",
        error_messages={"invalid": "事例No.は半角数字で入力してください。"},
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
            "message": forms.Textarea(attrs={"rows": 8, "maxlength": 4000}),
        }
        help_texts = {
            "phone": "任意です。お電話での連絡を希望される場合に入力してください。",
            "email": "ご返信に使います（例：taro@example.jp）。",
        }

    field_order = ["kind", "name", "organization", "email", "phone", "case_number", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"name": "お名前", "email": "メールアドレス", "message": "内容"})
        self.fields["kind"].error_messages["required"] = "種類を選んでください。"
        self.fields["email"].error_messages["invalid"] = (
            "メールアドレスの形式が正しくありません（例：taro@example.jp）。"
        )
        self.fields["message"].max_length = 4000
        self.fields["message"].error_messages["max_length"] = (
            "内容は4,000文字以内で入力してください。"
        )

    def contact_fields(self):
        """The fields shown one after another; kind, consent and the honeypot stand apart."""
        return [f for f in self if f.name not in ("kind", "consent", "website_url")]

    def clean_message(self) -> str:
        message = self.cleaned_data["message"]
        if len(message) > 4000:
            raise forms.ValidationError(
                f"内容は4,000文字以内で入力してください（いま{len(message):,}文字です）。"
            )
        return message

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                "電話番号は半角数字とハイフンで入力してください（例：043-000-0000）。"
            )
        return phone

    def clean_case_number(self) -> int | None:
        number = self.cleaned_data.get("case_number")
        if number and not Case.objects.published().filter(number=number).exists():
            raise forms.ValidationError(
                f"事例No.{number}は見つかりませんでした。番号をご確認ください。"
            )
        return number


class UpdateProposalForm(HoneypotForm, forms.ModelForm):
    """The sender, the case's text as it should read, and up to three photos."""

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
        _required(self, {"name": "お名前", "organization": "団体名", "email": "メールアドレス"})
        self.fields["relation"].error_messages["required"] = "事例との関係を選んでください。"
        self.fields["email"].error_messages["invalid"] = (
            "メールアドレスの形式が正しくありません（例：taro@example.jp）。"
        )
        for name in PROPOSABLE_FIELDS:
            model_field = Case._meta.get_field(name)
            self.fields[f"case_{name}"] = forms.CharField(
                label=model_field.verbose_name,
                initial=getattr(case, name),
                required=not model_field.blank,
                max_length=getattr(model_field, "max_length", None) or 10_000,
                widget=forms.TextInput()
                if model_field.get_internal_type() == "CharField"
                else forms.Textarea(attrs={"rows": 5}),
                error_messages={
                    "required": REQUIRED.format(model_field.verbose_name),
                    "max_length": f"{model_field.verbose_name}が長すぎます。",
                },
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

    def sender_fields(self):
        return [self[name] for name in ("name", "organization", "email", "relation", "message")]

    def text_fields(self):
        return [self[f"case_{name}"] for name in PROPOSABLE_FIELDS]

    def photo_fields(self):
        return [
            (self[f"photo_{i}"], self[f"photo_{i}_alt"], self[f"photo_{i}_caption"])
            for i in range(1, MAX_PHOTOS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
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

    def changes(self) -> dict[str, str]:
        """The text fields the sender changed, normalised to the line endings we store."""
        result = {}
        for name in PROPOSABLE_FIELDS:
            value = (self.cleaned_data.get(f"case_{name}") or "").replace("\r\n", "\n").strip()
            if value != getattr(self.case, name).replace("\r\n", "\n").strip():
                result[name] = value
        return result


class FeedbackForm(HoneypotForm, forms.ModelForm):
    class Meta:
        model = PageFeedback
        fields = ["path", "useful", "findable", "comment"]

    def clean_path(self) -> str:
        path = self.cleaned_data["path"]
        if not path.startswith("/") or path.startswith("//"):
            raise forms.ValidationError("ページの指定が正しくありません。")
        return path.split("?")[0][:300]

    def clean_comment(self) -> str:
        return self.cleaned_data["comment"][:1000]

    def clean(self):
        cleaned = super().clean()
        answered = [cleaned.get("useful"), cleaned.get("findable"), cleaned.get("comment")]
        if not self.errors and all(v in (None, "") for v in answered):
            raise forms.ValidationError("いずれかの質問にお答えください。")
        return cleaned
