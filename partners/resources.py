"""How organizations look in a spreadsheet, for staff import and export."""

from kernel.spreadsheets import (
    IMPORT_REASON,
    ChoiceWidget,
    NameWidget,
    SpreadsheetResource,
    TolerantInstanceLoader,
    YesNoWidget,
    column,
    integer,
)
from partners.models import Area, Organization


class OrganizationResource(SpreadsheetResource):
    name = column("name", "団体名")
    kana = column("kana", "団体名（カナ）")
    kind = column("kind", "種別", ChoiceWidget(Organization.Kind))
    area = column("area", "地域", NameWidget(Area))
    address = column("address", "所在地")
    website = column("website", "ウェブサイト")
    contact = column("contact", "公開連絡先")
    founded_year = column("founded_year", "設立年", integer())
    members = column("members", "会員・スタッフ")
    mission = column("mission", "目的・ミッション")
    activities = column("activities", "主な活動")
    corporate_number = column("corporate_number", "法人番号")
    is_public = column("is_public", "一覧に掲載する", YesNoWidget())

    # Without it an import leaves 一覧に掲載する as it is; new organizations are not listed.
    publish_permission = "partners.publish_organization"
    publish_fields = ("is_public",)

    class Meta:
        model = Organization
        import_id_fields = ["name"]
        fields = [
            "name", "kana", "kind", "area", "address", "website", "contact", "founded_year",
            "members", "mission", "activities", "corporate_number", "is_public",
        ]  # fmt: skip
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        instance_loader_class = TolerantInstanceLoader

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = IMPORT_REASON
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
