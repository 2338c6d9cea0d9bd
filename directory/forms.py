"""The merge page's form: which organization stays, whose value each field takes, and which
role each shared case keeps."""

from dataclasses import dataclass

from django import forms

from directory.services import (
    CHOSEN_FIELDS,
    SharedCase,
    default_sources,
    partner_of_own_case,
    shared_cases,
    shown_value,
)
from partners.models import Organization

EDIT = "edit"  # a shared case's role: the text in the box, as the clerk wrote it


@dataclass
class Cell:
    organization: Organization
    value: str  # as shown; "" when empty
    checked: bool


@dataclass
class Row:
    field: str
    label: str
    differs: bool
    cells: list[Cell]


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label="残す団体",
        error_messages={"required": "残す団体を選んでください。"},
    )

    def __init__(self, data=None, *, organizations: list[Organization]):
        super().__init__(data)
        self.organizations = organizations
        first = organizations[0]
        self.fields["keep"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in organizations]
        )
        self.fields["keep"].initial = first.pk
        defaults = default_sources(first, organizations)
        for field in CHOSEN_FIELDS:
            self.fields[f"value_{field}"] = forms.ChoiceField(
                choices=[(str(o.pk), o.name) for o in organizations],
                required=False,  # not sent: the default of the page
                initial=str(defaults[field]),
                label=Organization._meta.get_field(field).verbose_name,
            )
        if len({o.kind for o in organizations}) > 1:
            self.fields["confirm_kind"] = forms.BooleanField(
                required=False, label="種別が異なる団体であることを確かめたうえで統合する"
            )
        self.shared = shared_cases(first, organizations)
        for shared in self.shared:
            self.fields[f"role_{shared.case.pk}"] = forms.ChoiceField(
                choices=[(str(p.organization_id), p.organization.name) for p in shared.partnerships]
                + [(EDIT, "編集した文章")],
                initial=str(shared.kept.organization_id),
                error_messages={"required": "残す役割を選んでください。"},
            )
            self.fields[f"role_text_{shared.case.pk}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                initial="\n".join(p.role for p in shared.partnerships),
                label=f"事例No.{shared.case.number}の役割（編集した文章）",
            )
        self.own = partner_of_own_case(organizations)

    @property
    def kinds_differ(self) -> bool:
        return "confirm_kind" in self.fields

    def clean(self):
        data = super().clean()
        if self.kinds_differ and not data.get("confirm_kind"):
            self.add_error(
                "confirm_kind",
                "種別が異なる団体を統合するには、確かめたことをチェックで示してください。",
            )
        for shared in self.shared:
            pk = shared.case.pk
            if data.get(f"role_{pk}") == EDIT and not data.get(f"role_text_{pk}", "").strip():
                self.add_error(f"role_text_{pk}", "役割の文章を入力してください。")
        return data

    def sources(self) -> dict[str, Organization]:
        """Whose value each field takes, as chosen (the page's defaults when not sent)."""
        by_pk = {str(o.pk): o for o in self.organizations}
        chosen = {f: self.cleaned_data.get(f"value_{f}") for f in CHOSEN_FIELDS}
        return {field: by_pk[pk] for field, pk in chosen.items() if pk}

    def roles(self) -> dict[int, str]:
        """The role text each shared case keeps: one organization's, or the one edited."""
        roles = {}
        for shared in self.shared:
            pk = shared.case.pk
            choice = self.cleaned_data[f"role_{pk}"]
            if choice == EDIT:
                roles[pk] = self.cleaned_data[f"role_text_{pk}"].strip()
            else:
                roles[pk] = next(
                    p.role for p in shared.partnerships if str(p.organization_id) == choice
                )
        return roles

    def rows(self) -> list[Row]:
        """The fields side by side, with the radio button checked in each."""
        rows = []
        for field in CHOSEN_FIELDS:
            bound = self[f"value_{field}"]
            chosen = str(bound.value() or "")
            values = [shown_value(o, field) for o in self.organizations]
            cells = [
                Cell(o, value, str(o.pk) == chosen)
                for o, value in zip(self.organizations, values, strict=True)
            ]
            rows.append(Row(f"value_{field}", bound.label, len(set(values)) > 1, cells))
        return rows

    def role_choices(self) -> list[tuple[SharedCase, str, forms.BoundField, forms.BoundField]]:
        """Each shared case, the choice checked (an organization's ID, or EDIT), its radio
        buttons' field (for errors) and its text box."""
        return [
            (
                s,
                str(self[f"role_{s.case.pk}"].value() or ""),
                self[f"role_{s.case.pk}"],
                self[f"role_text_{s.case.pk}"],
            )
            for s in self.shared
        ]
