"""Staff review forms: a curator takes a proposal's items and photos (with corrections) or
rejects it with a reason."""

from django import forms

from inquiries.models import REASON_LENGTH, UpdateProposal
from inquiries.proposals import items_for, stored_text
from lib.diff import before_after_html, diff_html, lines_diff_html

DIFFS = {"words": diff_html, "lines": lines_diff_html, "value": before_after_html}


class ApprovalForm(forms.Form):
    """A curator's choice: which proposed items and photos to take, with corrections."""

    def __init__(self, *args, proposal: UpdateProposal, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.items = items_for(proposal.case)
        self.proposal_photos = list(proposal.photos.all())
        for key, value in proposal.proposed.items():
            item = self.items.get(key)
            if item is None:
                continue  # e.g. a partner removed from the case since: nothing to apply it to
            self.fields[f"take_{item.field_name}"] = forms.BooleanField(
                label=f"「{item.label}」を反映する", required=False, initial=True
            )
            if item.editable:
                self.fields[f"value_{item.field_name}"] = forms.CharField(
                    label=f"反映する{item.label}（修正できます）",
                    initial=value,
                    required=False,
                    strip=False,
                    max_length=getattr(item.model_field, "max_length", None) or 10_000,
                    widget=forms.Textarea(attrs={"rows": 4})
                    if item.model_field.get_internal_type() == "TextField"
                    else forms.TextInput(attrs={"size": 60}),
                    error_messages={"max_length": f"{item.label}が長すぎます。"},
                )
        for photo in self.proposal_photos:
            self.fields[f"photo_{photo.pk}"] = forms.BooleanField(
                label="この写真を反映する", required=False, initial=True
            )
            self.fields[f"alt_{photo.pk}"] = forms.CharField(
                label="説明（代替テキスト）", initial=photo.alt_text, required=False, max_length=300
            )
            self.fields[f"caption_{photo.pk}"] = forms.CharField(
                label="キャプション", initial=photo.caption, required=False, max_length=200
            )

    def rows(self) -> list[dict]:
        """One row per proposed item: its label, the diff against the case, and its inputs."""
        case = self.proposal.case
        rows = []
        for key, value in self.proposal.proposed.items():
            item = self.items.get(key)
            if item is None:
                rows.append({"label": key, "missing": True})
                continue
            current = item.current(case)
            rows.append(
                {
                    "label": item.label,
                    "diff": DIFFS[item.diff](item.as_text(current), item.as_text(value)),
                    "take": self[f"take_{item.field_name}"],
                    "value": self[f"value_{item.field_name}"] if item.editable else None,
                }
            )
        return rows

    def photos(self) -> list[tuple]:
        return [
            (photo, self[f"photo_{photo.pk}"], self[f"alt_{photo.pk}"], self[f"caption_{photo.pk}"])
            for photo in self.proposal_photos
        ]

    def clean(self):
        cleaned = super().clean()
        taken, photos = self.take(), self.chosen_photos()
        for key, value in taken.items():
            item = self.items[key]
            if item.editable and not item.model_field.blank and not value:
                self.add_error(f"value_{item.field_name}", f"{item.label}を入力してください。")
        for pk, photo in photos.items():
            if not photo["alt"]:
                self.add_error(
                    f"alt_{pk}", "反映する写真には説明（代替テキスト）を入力してください。"
                )
        if not self.errors and not taken and not photos:
            raise forms.ValidationError(
                "反映する項目か写真を1つ以上選んでください。反映しない場合は却下してください。"
            )
        return cleaned

    def take(self) -> dict:
        """Item key → the value to apply: the curator's correction of free text, else as sent."""
        result = {}
        for key, value in self.proposal.proposed.items():
            item = self.items.get(key)
            if item is None or not self.cleaned_data.get(f"take_{item.field_name}"):
                continue
            if item.editable:
                value = stored_text(self.cleaned_data.get(f"value_{item.field_name}"))
            result[key] = value
        return result

    def chosen_photos(self) -> dict[int, dict]:
        return {
            photo.pk: {
                "alt": (self.cleaned_data.get(f"alt_{photo.pk}") or "").strip(),
                "caption": (self.cleaned_data.get(f"caption_{photo.pk}") or "").strip(),
            }
            for photo in self.proposal_photos
            if self.cleaned_data.get(f"photo_{photo.pk}")
        }


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="却下の理由（提案者にメールで伝わります）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_LENGTH,
        error_messages={"required": "却下の理由を入力してください（提案者に伝わります）。"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
