"""kernel.forms.PublicForm, as a new app's form would use it."""

from django import forms

from kernel.forms import PhoneField, PublicForm, error_summary


class SeedLikeForm(PublicForm):
    half_width_fields = ("postcode",)

    title = forms.CharField(label="タイトル", max_length=10)
    body = forms.CharField(label="内容", max_length=20, widget=forms.Textarea)
    postcode = forms.CharField(label="郵便番号", max_length=8, required=False)
    phone = PhoneField(label="電話番号", required=False)
    status = forms.ChoiceField(label="状態", choices=[("", "---------"), ("open", "募集中")])
    area = forms.ChoiceField(label="地域", required=False, choices=[("", "指定なし"), ("a", "A")])
    token = forms.CharField(max_length=10, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Added after PublicForm.__init__: prepared all the same.
        self.fields["contact"] = forms.CharField(label="担当", max_length=5)


def test_fields_added_later_are_prepared_too():
    form = SeedLikeForm({"title": "種", "body": "b", "status": "open", "contact": "花\nBcc"})
    assert form.errors["contact"] == ["担当に改行や制御文字は使えません。1行で入力してください。"]


def test_lengths_are_refused_in_japanese_and_textareas_are_not_cut():
    form = SeedLikeForm({"title": "あ" * 11, "body": "い" * 21, "status": "open"})
    assert form.errors["title"] == ["タイトルは10文字以内で入力してください（いま11文字です）。"]
    assert "内容は20文字以内" in form.errors["body"][0]
    assert "maxlength" not in str(form["body"]) and 'maxlength="10"' in str(form["title"])
    assert "20文字以内" in str(form["body"].help_text)


def test_listed_fields_and_phones_are_converted_before_validation():
    form = SeedLikeForm(
        {"title": "t", "body": "b", "status": "open", "contact": "c", "token": "x",
         "postcode": "２６０－８６６７", "phone": "（０４３）２２３ー４１３３"}
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postcode"] == "260-8667"
    assert form.cleaned_data["phone"] == "043-223-4133"


def test_only_djangos_dashes_become_a_request_to_choose():
    html = str(SeedLikeForm())
    assert '<option value="" selected>選択してください</option>' in html
    assert "指定なし" in html and "---------" not in html


def test_the_summary_links_visible_fields_only():
    form = SeedLikeForm({"website_url": "spam"})
    anchors = {anchor for anchor, _ in error_summary(form)}
    assert "id_title" in anchors and "id_status" in anchors and "id_token" not in anchors
    honeypot = [
        message for anchor, message in error_summary(form) if "送信できませんでした" in message
    ]
    assert honeypot and ("", honeypot[0]) in error_summary(form)
