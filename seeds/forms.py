"""The public forms of the board: posting a seed, and a consultation about one. Validation
only, on the shared public form (kernel.forms.PublicForm): the honeypot, full-width input
converted, lengths and Japanese messages beside each field."""

from django import forms
from django.utils import timezone

from cases.models import Domain
from kernel.forms import REQUIRED, PhoneField, PublicForm
from partners.models import Area, PartnerType
from seeds.models import Resource, Seed

EMAIL_INVALID = "メールアドレスの形式が正しくありません（例：taro@example.jp）。"
CONSENT = forms.BooleanField(
    label="プライバシーポリシーに同意する",
    error_messages={"required": "送信するには、プライバシーポリシーへの同意が必要です。"},
)


def _required(form: forms.Form, labels: dict[str, str]) -> None:
    for name, label in labels.items():
        form.fields[name].required = True
        form.fields[name].error_messages["required"] = REQUIRED.format(label)


class SeedForm(PublicForm, forms.ModelForm):
    """入力 of /seeds/new/: what the seed is, who posts it (the contact stays private)."""

    domains = forms.ModelMultipleChoiceField(
        queryset=Domain.objects.all(),
        label="活動分野",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "活動分野を1つ以上選んでください。"},
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(),
        label="地域",
        error_messages={"required": "地域を選んでください。"},
    )
    contact_phone = PhoneField(
        label="電話番号", required=False, help_text="任意です。公開しません。"
    )
    partner_types_wanted = forms.MultipleChoiceField(
        choices=PartnerType.choices,
        label="求める協働相手",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources_wanted = forms.MultipleChoiceField(
        choices=Resource.choices,
        label="求めているもの",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources_offered = forms.MultipleChoiceField(
        choices=Resource.choices,
        label="提供できるもの",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label="募集期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="任意です（例：2026-03-31）。",
        error_messages={"invalid": "募集期限は「2026-03-31」の形で入力してください。"},
    )
    consent = CONSENT

    half_width_fields = ("deadline",)

    class Meta:
        model = Seed
        fields = [
            "kind",
            "title",
            "poster_name",
            "contact_person",
            "contact_email",
            "contact_phone",
            "area",
            "domains",
            "issue",
            "wish",
            "partner_types_wanted",
            "resources_wanted",
            "resources_offered",
            "period",
            "deadline",
            "keywords",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "issue": forms.Textarea(attrs={"rows": 4}),
            "wish": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "poster_name": "団体名・担当課名",
            "contact_person": "ご担当者のお名前",
            "contact_email": "メールアドレス",
            "issue": "課題（どんなことに困っているか）",
            "wish": "やりたいこと",
        }
        help_texts = {
            "poster_name": "公開されます（例：NPO法人〇〇の会、〇〇市 〇〇課）。",
            "contact_person": "公開しません。コーディネーターからの連絡に使います。",
            "contact_email": "公開しません（例：taro@example.jp）。",
            "issue": "数行で書いてください（1,000文字以内）。",
            "wish": "2,000文字以内",
            "keywords": "任意です。スペースで区切って数語（例：子ども食堂 食品ロス）。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "title": "タイトル",
                "poster_name": "団体名・担当課名",
                "contact_person": "ご担当者のお名前",
                "contact_email": "メールアドレス",
                "issue": "課題",
                "wish": "やりたいこと",
            },
        )
        self.fields["kind"].error_messages["required"] = "種類を選んでください。"
        self.fields["contact_email"].error_messages["invalid"] = EMAIL_INVALID

    def contact_fields(self):
        names = ("poster_name", "contact_person", "contact_email", "contact_phone")
        return [self[n] for n in names]

    def content_fields(self):
        return [self[n] for n in ("title", "area", "issue", "wish")]

    def choice_fields(self):
        return [
            self[n]
            for n in ("domains", "partner_types_wanted", "resources_wanted", "resources_offered")
        ]

    def extra_fields(self):
        return [self[n] for n in ("period", "deadline", "keywords")]

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError("募集期限には今日以降の日付を入力してください。")
        return deadline

    def clean(self):
        data = super().clean()
        if (
            not data.get("resources_wanted")
            and not data.get("resources_offered")
            and not self.has_error("resources_wanted")
        ):
            self.add_error(
                "resources_wanted",
                "「求めているもの」か「提供できるもの」のどちらかを1つ以上選んでください。",
            )
        return data

    def draft(self) -> dict:
        """What the session keeps between 入力 and 確認 (JSON-serialisable)."""
        data = self.cleaned_data
        draft = {name: data.get(name) for name in self.Meta.fields}
        draft["area"] = data["area"].pk
        draft["domains"] = [d.pk for d in data["domains"]]
        draft["deadline"] = data["deadline"].isoformat() if data.get("deadline") else None
        return draft


class ConsultationForm(PublicForm):
    """「この種について相談する」: a short note to the coordinator."""

    name = forms.CharField(label="お名前", max_length=100)
    organization = forms.CharField(label="団体名・所属", max_length=200, required=False)
    email = forms.EmailField(
        label="メールアドレス", help_text="ご返信に使います（例：taro@example.jp）。"
    )
    phone = PhoneField(label="電話番号", required=False, help_text="任意です。")
    message = forms.CharField(
        label="ご相談の内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="この種で一緒にできそうなこと、提供できること、聞きたいことなど（2,000文字以内）。",
    )
    consent = CONSENT

    FIELDS = ["name", "organization", "email", "phone", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"name": "お名前", "email": "メールアドレス", "message": "ご相談の内容"})
        self.fields["email"].error_messages["invalid"] = EMAIL_INVALID

    def contact_fields(self):
        return [self[n] for n in self.FIELDS]
