"""What an update proposal may change: one item per unit a curator takes or leaves.

An item reads its current value from a case, shows a value as text for the diff and the
mails, and applies a value. Values are plain JSON (text, a number, None, lists of rows), so a
proposal stores them as sent and beside them the case's value at that moment.
"""

from django.db import models

from cases.models import Case, CasePartner, ScheduleItem
from partners.models import Organization, OrganizationRecord

# The case's own texts, in the order of the 12 fields.
CASE_TEXT_FIELDS = [
    "title",
    "budget_note",
    "summary",
    "background",
    "activities",
    "lead_role",
    "outcomes",
    "tips",
    "future_plans",
]
# The lead organization's profile (field 12) that its people know best.
ORGANIZATION_FIELDS = ["address", "website", "contact", "members", "mission", "activities"]


def stored_text(value) -> str:
    """Text in the line endings we store, without blanks around it."""
    return (value or "").replace("\r\n", "\n").strip()


class Item:
    key: str
    label: str
    # A free text the curator may correct before applying it.
    editable = False
    # How the review page shows a change: "words" within a text, "lines" of a table, "value".
    diff = "value"
    # Applied by setting an attribute of the case before it is saved; others write rows.
    on_case = False
    model_field: models.Field | None = None

    def current(self, case: Case):
        raise NotImplementedError

    def as_text(self, value) -> str:
        return "" if value is None else str(value)

    def apply(self, case: Case, value) -> None:
        raise NotImplementedError

    @property
    def field_name(self) -> str:
        """The name of its input in the public form and the review form."""
        return self.key.replace(":", "_")


class CaseText(Item):
    editable = True
    diff = "words"
    on_case = True

    def __init__(self, field: str):
        self.key = field
        self.model_field = Case._meta.get_field(field)
        self.label = str(self.model_field.verbose_name)

    @property
    def field_name(self) -> str:
        return f"case_{self.key}"

    def current(self, case: Case) -> str:
        return getattr(case, self.key)

    def apply(self, case: Case, value: str) -> None:
        setattr(case, self.key, value)


class Budget(Item):
    key = "budget"
    label = "事業費（円）"
    on_case = True
    model_field = Case._meta.get_field("budget")

    def current(self, case: Case) -> int | None:
        return case.budget

    def as_text(self, value: int | None) -> str:
        return "不明" if value is None else f"{value:,}円"

    def apply(self, case: Case, value: int | None) -> None:
        case.budget = value


class Schedule(Item):
    key = "schedule"
    diff = "lines"
    label = "年間スケジュール"

    def current(self, case: Case) -> list[list[str]]:
        return [[row.period, row.activity] for row in case.schedule.all()]

    def as_text(self, value: list) -> str:
        return "\n".join(f"{period}：{activity}" for period, activity in value) or "（なし）"

    def apply(self, case: Case, value: list) -> None:
        case.schedule.all().delete()
        rows = [
            ScheduleItem(case=case, period=period, activity=activity, order=i)
            for i, (period, activity) in enumerate(value)
        ]
        for row in rows:
            row.full_clean()
        ScheduleItem.objects.bulk_create(rows)


class PartnerRole(Item):
    editable = True
    diff = "words"
    model_field = CasePartner._meta.get_field("role")

    def __init__(self, partnership: CasePartner):
        self.organization_id = partnership.organization_id
        self.key = f"partner:{partnership.organization_id}"
        self.label = f"{partnership.organization.name}の役割"

    def current(self, case: Case) -> str:
        return self._partnership(case).role

    def apply(self, case: Case, value: str) -> None:
        partnership = self._partnership(case)
        partnership.role = value
        partnership.full_clean()
        partnership.save()

    def _partnership(self, case: Case) -> CasePartner:
        return next(p for p in case.partners.all() if p.organization_id == self.organization_id)


class OrganizationText(Item):
    editable = True
    diff = "words"

    def __init__(self, field: str):
        self.field = field
        self.key = f"organization:{field}"
        self.model_field = Organization._meta.get_field(field)
        self.label = f"運営団体の{self.model_field.verbose_name}"

    def current(self, case: Case) -> str:
        return getattr(case.lead_organization, self.field)

    def apply(self, case: Case, value: str) -> None:
        setattr(case.lead_organization, self.field, value)  # saved once, after every item


class Records(Item):
    key = "records"
    diff = "lines"
    label = "運営団体の活動実績（受託・表彰・助成）"

    def current(self, case: Case) -> list[list]:
        return [[r.year, r.kind, r.title] for r in case.lead_organization.records.all()]

    def as_text(self, value: list) -> str:
        kinds = dict(OrganizationRecord.Kind.choices)
        lines = [f"{year}年度 {kinds.get(kind, kind)}：{title}" for year, kind, title in value]
        return "\n".join(lines) or "（なし）"

    def apply(self, case: Case, value: list) -> None:
        organization = case.lead_organization
        organization.records.all().delete()
        rows = [
            OrganizationRecord(organization=organization, year=year, kind=kind, title=title)
            for year, kind, title in value
        ]
        for row in rows:
            row.full_clean()
        OrganizationRecord.objects.bulk_create(rows)


def items_for(case: Case) -> dict[str, Item]:
    """Every item a proposal for this case may change, in the order of the 12 fields."""
    texts = {field: CaseText(field) for field in CASE_TEXT_FIELDS}
    items = [texts["title"], Budget(), texts["budget_note"]]
    items += [texts[f] for f in ("summary", "background", "activities")]
    items += [Schedule(), texts["lead_role"]]
    items += [PartnerRole(p) for p in case.partners.select_related("organization")]
    items += [texts[f] for f in ("outcomes", "tips", "future_plans")]
    items += [OrganizationText(field) for field in ORGANIZATION_FIELDS]
    items += [Records()]
    return {item.key: item for item in items}
