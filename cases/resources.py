"""How cases look in a spreadsheet, for staff import and export."""

from cases import revisions, services
from cases.models import Case, CasePartner, Domain, Method
from kernel.spreadsheets import (
    IMPORT_REASON,
    ChoiceWidget,
    NamesWidget,
    NameWidget,
    SpreadsheetResource,
    TolerantInstanceLoader,
    column,
    integer,
    iso_date,
)
from partners.models import Area, Organization


class CaseResource(SpreadsheetResource):
    number = column("number", "事例No.", integer())
    title = column("title", "事例名")
    status = column("status", "公開状態", ChoiceWidget(Case.Status))
    area = column("area", "地域", NameWidget(Area))
    start_year = column("start_year", "開始年度", integer())
    end_year = column("end_year", "終了年度", integer())
    domains = column("domains", "活動分野", NamesWidget(Domain))
    methods = column("methods", "事業の手法", NamesWidget(Method))
    budget = column("budget", "事業費（円）", integer())
    budget_note = column("budget_note", "事業費の財源・内訳")
    summary = column("summary", "事業概要")
    background = column("background", "協働までの経緯")
    activities = column("activities", "主な事業内容")
    lead_organization = column("lead_organization", "運営団体", NameWidget(Organization))
    lead_role = column("lead_role", "運営団体の役割")
    outcomes = column("outcomes", "協働事業によって生まれた成果")
    tips = column("tips", "コラボのコツ")
    future_plans = column("future_plans", "今後力を入れていきたいこと")
    published_on = column("published_on", "公開日", iso_date())
    verified_on = column("verified_on", "情報確認日", iso_date())

    # Without it an import leaves 公開状態 and 公開日 as they are; new cases are drafts.
    publish_permission = "cases.publish_case"
    publish_fields = ("status", "published_on")

    class Meta:
        model = Case
        import_id_fields = ["number"]
        fields = [
            "number", "title", "status", "area", "start_year", "end_year", "domains",
            "methods", "budget", "budget_note", "summary", "background", "activities",
            "lead_organization", "lead_role", "outcomes", "tips", "future_plans",
            "published_on", "verified_on",
        ]  # fmt: skip
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = False
        instance_loader_class = TolerantInstanceLoader  # one query per file

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "lead_organization")
            .prefetch_related("domains", "methods")
        )

    def check_row(self, instance) -> dict[str, str]:
        errors = {}
        start, end = instance.start_year, instance.end_year
        if isinstance(start, int) and isinstance(end, int) and end < start:
            errors["end_year"] = "開始年度より前の年度です"
        if missing := self._publishing_without(instance):
            errors["status"] = (
                f"公開するには{'、'.join(missing)}が必要です（協働パートナーは管理画面で追加します）"
            )
        return errors

    def _publishing_without(self, instance: Case) -> list[str]:
        """What a case this row publishes lacks (services.publish_problems: the form's rules);
        a case already public is not published again."""
        if instance.status != Case.Status.PUBLISHED:
            return []
        stored = Case.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if stored == Case.Status.PUBLISHED:
            return []
        missing = []
        methods = self.fields["methods"].column_name
        has_methods = (
            str(self.current_row.get(methods) or "").strip()
            if methods in self.current_row
            else instance.pk and instance.methods.exists()
        )
        if not has_methods:
            missing.append(services.REQUIRED_TO_PUBLISH["methods"])
        if not (instance.pk and CasePartner.objects.filter(case_id=instance.pk).exists()):
            missing.append(services.REQUIRED_TO_PUBLISH["partners"])
        if instance.verified_on is None:
            missing.append(services.REQUIRED_TO_PUBLISH["verified_on"])
        return missing

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.saved = {True: [], False: []}  # new → pks, updated → pks

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        self.saved[is_create].append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        """One revision per saved case, named 「インポート」 (the change feed's own revision at the
        end of the page then finds it the same, and records none)."""
        super().after_import(dataset, result, **kwargs)
        saved = self.saved[True] + self.saved[False]
        if kwargs.get("dry_run") or not saved or result.has_validation_errors():
            return
        for case in Case.objects.filter(pk__in=saved).select_related("area", "lead_organization"):
            revisions.record(case, user=kwargs.get("user"), text=IMPORT_REASON)
