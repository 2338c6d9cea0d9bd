"""How cases look in a spreadsheet, for staff import and export."""

from import_export import resources

from cases.models import Case, Domain, Method
from cases.services import refresh_search_text
from collanavi.spreadsheets import NamesWidget, NameWidget, column, integer, iso_date
from partners.models import Area, Organization


class CaseResource(resources.ModelResource):
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

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "lead_organization")
            .prefetch_related("domains", "methods")
        )

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            refresh_search_text(instance)
