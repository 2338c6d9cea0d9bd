from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "協働事例"

    def ready(self) -> None:
        from cases import (
            checks,  # noqa: F401 (checks register themselves)
            revisions,
            tasks,
        )
        from cases.models import Award, Case, CasePartner, Domain, Method, Photo, ScheduleItem
        from kernel import feed, search

        feed.track(Domain)
        feed.track(Method)
        feed.track(
            Case,
            # "cases-of:3": organization 3 gained or lost a case (the directory re-reads it)
            lambda case: {f"case:{case.pk}", f"cases-of:{case.lead_organization_id}"},
            before=True,
            follows={
                "organization": ("lead_organization", "partners__organization"),
                "area": ("area",),
                "domain": ("domains",),
                "method": ("methods",),
            },
            m2m=("domains", "methods"),
        )
        feed.track(
            CasePartner,
            lambda row: {f"case:{row.case_id}", f"cases-of:{row.organization_id}"},
            before=True,
        )
        for part in (ScheduleItem, Photo, Award):
            feed.track(part, lambda row: {f"case:{row.case_id}"})
        search.follow(Case)
        revisions.follow()  # every change to a case leaves an approved revision
        feed.artifact(
            "cases.pdf",
            depends_on={"case", "organization", "domain", "method", "area"},
            refresh=tasks.refresh_pdfs,
            rebuild=tasks.refresh_every_pdf,
            on_worker=True,
        )
        from cases.casebook import fill
        from kernel import pagecache

        pagecache.register_filler(fill)
