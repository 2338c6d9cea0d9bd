"""How cases look in a spreadsheet, for staff import and export."""

from import_export import instance_loaders, resources

from cases import cache
from cases.models import Case, Domain, Method
from cases.services import with_text_data
from collanavi.spreadsheets import (
    NamedRelationsResource,
    NamesWidget,
    NameWidget,
    column,
    integer,
    iso_date,
)
from partners.models import Area, Organization


class CaseResource(NamedRelationsResource, resources.ModelResource):
    number = column("number", "事例No.", integer())
    title = column("title", "事例名")
    status = column("status", "公開状態")
    area = column("area", "地域", NameWidget(Area, "地域"))
    start_year = column("start_year", "開始年度", integer())
    end_year = column("end_year", "終了年度", integer())
    domains = column("domains", "活動分野", NamesWidget(Domain, "活動分野"))
    methods = column("methods", "事業の手法", NamesWidget(Method, "事業の手法"))
    budget = column("budget", "事業費（円）", integer())
    budget_note = column("budget_note", "事業費の財源・内訳")
    summary = column("summary", "事業概要")
    background = column("background", "協働までの経緯")
    activities = column("activities", "主な事業内容")
    lead_organization = column(
        "lead_organization", "運営団体", NameWidget(Organization, "運営団体")
    )
    lead_role = column("lead_role", "運営団体の役割")
    outcomes = column("outcomes", "協働事業によって生まれた成果")
    tips = column("tips", "コラボのコツ")
    future_plans = column("future_plans", "今後力を入れていきたいこと")
    published_on = column("published_on", "公開日", iso_date())
    verified_on = column("verified_on", "情報確認日", iso_date())

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
        instance_loader_class = instance_loaders.CachedInstanceLoader  # one query per file

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "lead_organization")
            .prefetch_related("domains", "methods")
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.saved = []

    def before_save_instance(self, instance, row, **kwargs):
        instance.skip_history_when_saving = True  # history is written once, after the file

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        del instance.skip_history_when_saving
        self.saved.append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        """Search text and one history record per saved case, in a few queries for the file."""
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or not self.saved:
            return
        cases = list(with_text_data(Case.objects.filter(pk__in=self.saved)))
        for case in cases:
            case.search_text = case.build_search_text()
        Case.objects.bulk_update(cases, ["search_text"], batch_size=500)
        cache.bump()
        Case.history.bulk_history_create(
            cases, update=True, default_user=kwargs.get("user"), default_change_reason="インポート"
        )
