"""The coordinator's screens: the queue of new seeds, approval, progress with notes,
consultations per seed, and 「事例にする」."""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cases.models import Method
from kernel.admin import empty_filter, is_revert, staff_name
from lib.text import keyword_terms
from seeds import services
from seeds.models import Consultation, Seed, StatusChange

RECEIPT = re.compile(r"^S-\d{4}-\d{6}$")  # a seed's 受付番号 (inquiries.receipts)


class DeadlineFilter(admin.SimpleListFilter):
    title = "募集期限"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("past", "期限切れ（募集中のまま）")]

    def queryset(self, request, queryset):
        if self.value() == "past":
            return queryset.past_deadline()
        return queryset


class SeedAdminForm(forms.ModelForm):
    status_note = forms.CharField(
        label="進み具合を変えた理由・メモ（職員のみ）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="進み具合を変えたときに、日付とともに記録されます。公開されません。",
    )

    class Meta:
        model = Seed
        fields = ["status", "case"]  # the admin adds the fieldsets' fields

    def clean(self):
        data = super().clean()
        if data.get("status") == Seed.Status.CASE and not data.get("case"):
            self.add_error("case", "「事例化」にするには、生まれた事例を選んでください。")
        if not data.get("organization") and not data.get("poster_name"):
            self.add_error("poster_name", "投稿団体を選ぶか、団体名・担当課名を入力してください。")
        before = self.instance.review if self.instance.pk else None
        if data.get("review") == Seed.Review.REJECTED and before != Seed.Review.REJECTED:
            self.add_error(
                "review",
                "却下するときは「却下する（理由を書いて知らせる）」から理由を入力してください。",
            )
        return data


class StaffForm(forms.Form):
    """A small staff form whose fields say their errors beside them, linked from a summary."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
                )

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) of each error, for the summary's links."""
        return [
            (f"id_{name}", self.fields[name].label, error)
            for name, errors in self.errors.items()
            if name in self.fields
            for error in errors
        ]


class MakeCaseForm(StaffForm):
    title = forms.CharField(
        label="事例名",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "vTextField", "size": 60}),
        help_text="公開ページの見出しになります。募集のタイトルではなく、事業の名前を書きます。",
        error_messages={
            "required": "事例名を入力してください。",
            "max_length": "事例名は200文字以内で入力してください。",
        },
    )
    methods = forms.ModelMultipleChoiceField(
        label="事業の手法",
        queryset=Method.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="当てはまるものをすべて選びます。",
        error_messages={"required": "事業の手法を1つ以上選んでください。"},
    )
    start_year = forms.IntegerField(
        label="開始年度",
        min_value=1950,
        max_value=2100,
        error_messages={
            "required": "開始年度を西暦で入力してください（例：2027）。",
            "invalid": "開始年度は西暦の数字で入力してください（例：2027）。",
            "min_value": "開始年度は1950年度以降を入力してください。",
            "max_value": "開始年度は2100年度までで入力してください。",
        },
    )


class RejectSeedForm(StaffForm):
    reason = forms.CharField(
        label="理由（投稿者にメールで伝わります）",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="投稿の内容は引用せずに書いてください。メールには受付番号と受付日だけが載ります。",
        error_messages={
            "required": "却下の理由を入力してください（投稿者にメールで伝わります）。",
            "max_length": "理由は1000文字以内で入力してください。",
        },
    )


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["date", "from_status", "to_status", "note", "changed_by_name"]
    readonly_fields = ["from_status", "to_status", "changed_by_name"]
    verbose_name_plural = "進み具合の記録（日付は公開、メモは職員のみ）"

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # a change is recorded by changing 進み具合 above

    @admin.display(description="変更した職員")
    def changed_by_name(self, change: StatusChange) -> str:
        return staff_name(change.changed_by)


class ConsultationInline(admin.TabularInline):
    model = Consultation
    extra = 0
    fields = ["link", "sender", "received", "accepted_at"]
    readonly_fields = fields
    verbose_name_plural = "この種への相談"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("inquiries.view_inquiry")

    @admin.display(description="相談")
    def link(self, consultation: Consultation) -> str:
        url = reverse("admin:seeds_consultation_change", args=[consultation.pk])
        return format_html('<a href="{}">{}の相談</a>', url, consultation.received_label())

    @admin.display(description="相談者")
    def sender(self, consultation: Consultation) -> str:
        return consultation.inquiry.name

    @admin.display(description="受付日時")
    def received(self, consultation: Consultation) -> str:
        return consultation.received_label()  # a readonly callable's value is printed raw


@admin.register(Seed)
class SeedAdmin(SimpleHistoryAdmin):
    form = SeedAdminForm
    change_form_template = "admin/seeds/seed/change_form.html"
    list_display = [
        "title",
        "kind",
        "poster_display",
        "area",
        "status",
        "review",
        "approved_on",
        "deadline_flag",
        "consultation_count",
    ]
    list_filter = [
        "review",
        "status",
        "kind",
        DeadlineFilter,
        "domains",
        ("area", admin.RelatedOnlyFieldListFilter),
    ]
    ordering = ["-created_at"]  # the newest posts first, where a coordinator looks
    list_select_related = ["area", "organization"]
    search_fields = ["title"]
    search_help_text = "受付番号、タイトル、本文、団体名で検索（全角・半角は区別しません）"
    autocomplete_fields = ["organization", "area", "case"]
    filter_horizontal = ["domains"]
    inlines = [StatusChangeInline, ConsultationInline]
    actions = ["approve", "reject", "make_case"]
    history_list_display = ["status", "review"]
    save_on_top = True
    fieldsets = [
        ("審査と公開", {"fields": [("review", "approved_on"), ("receipt_number", "created_at")]}),
        (
            "進み具合",
            {
                "fields": [("status", "case"), "status_note"],
                "description": (
                    "募集中 → 相談中 → 協議中 → 実践中 → 事例化（生まれた事例を選ぶ）／終了。"
                    "変えると日付が公開の経過表示に記録されます。"
                ),
            },
        ),
        (
            "種の内容",
            {
                "fields": [
                    "kind",
                    "title",
                    ("organization", "poster_name"),
                    ("area", "deadline", "period"),
                    "domains",
                    "issue",
                    "wish",
                    "partner_types_wanted",
                    ("resources_wanted", "resources_offered"),
                    "keywords",
                ]
            },
        ),
        (
            "投稿者の連絡先（非公開）",
            {"fields": [("contact_person", "contact_email", "contact_phone"), "staff_notes"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(consultation_total=Count("consultations"))

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("seeds.approve_seed")

    def get_readonly_fields(self, request: HttpRequest, obj: Seed | None = None):
        readonly = [*super().get_readonly_fields(request, obj), "receipt_number", "created_at"]
        if not self.has_approve_permission(request):
            readonly += ["review", "approved_on"]  # editors prepare; 管理者 approve
        return readonly

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="投稿者")
    def poster_display(self, seed: Seed) -> str:
        return seed.poster or "—"

    @admin.display(description="期限")
    def deadline_flag(self, seed: Seed) -> str:
        """In words, so the flag reads without colour."""
        if seed.is_past_deadline:
            return format_html('<strong class="flag">期限切れ</strong>（{}）', seed.deadline)
        return str(seed.deadline) if seed.deadline else "—"

    @admin.display(description="相談", ordering="consultation_total")
    def consultation_count(self, seed: Seed) -> str:
        return f"{seed.consultation_total}件"

    def get_search_results(self, request, queryset, search_term):
        if RECEIPT.match(search_term.strip().upper()):
            return queryset.filter(receipt_number=search_term.strip().upper()), False
        terms = keyword_terms(search_term)
        if not terms:
            return queryset, False
        return queryset.matching(terms), False

    def save_model(self, request, obj: Seed, form, change: bool) -> None:
        """Without the approve right a seed's review stays as it is (a new one waits); a change
        of 進み具合 is recorded with the date and the note."""
        current = Seed.objects.filter(pk=obj.pk).values("status", "review", "approved_on").first()
        if not self.has_approve_permission(request):
            if change and current:
                obj.review, obj.approved_on = current["review"], current["approved_on"]
            else:
                obj.review, obj.approved_on = Seed.Review.PENDING, None
        # An approval chosen in 審査 goes through the service, which starts the timeline and
        # mails the poster, as 「保存して承認・公開する」 does.
        approving = obj.review == Seed.Review.APPROVED and (
            current is None or current["review"] != Seed.Review.APPROVED
        )
        if approving:
            obj.review = current["review"] if current else Seed.Review.PENDING
        if is_revert(request):
            obj._change_reason = "変更履歴から以前の版に戻しました"
        super().save_model(request, obj, form, change)
        before = current["status"] if current else None
        if before != obj.status and (change or obj.is_public):
            StatusChange.objects.create(
                seed=obj,
                from_status=before or "",
                to_status=obj.status,
                note=form.cleaned_data.get("status_note", "") if form else "",
                changed_by=request.user,
            )
        if approving:
            services.approve_seeds(Seed.objects.filter(pk=obj.pk), user=request.user)
            obj.refresh_from_db()

    def response_change(self, request, obj):
        if "_approve" in request.POST and self.has_approve_permission(request):
            services.approve_seeds(Seed.objects.filter(pk=obj.pk), user=request.user)
            self.message_user(request, f"「{obj.title}」を承認し、公開しました。", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:seeds_seed_change", args=[obj.pk]))
        if "_make_case" in request.POST:
            return HttpResponseRedirect(reverse("admin:seeds_seed_make_case", args=[obj.pk]))
        return super().response_change(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/make-case/",
                self.admin_site.admin_view(self.make_case_view),
                name="seeds_seed_make_case",
            ),
            path("reject/", self.admin_site.admin_view(self.reject_view), name="seeds_seed_reject"),
            *super().get_urls(),
        ]

    def can_make_case(self, request: HttpRequest, seed: Seed) -> bool:
        return request.user.has_perm("cases.add_case") and self.has_change_permission(request, seed)

    def make_case_view(self, request: HttpRequest, pk: int):
        """「事例にする」: the clerk names the case and its 手法, sees what else is filled in,
        and lands on the new draft."""
        seed = get_object_or_404(Seed.objects.select_related("organization", "area"), pk=pk)
        if not self.can_make_case(request, seed):
            raise PermissionDenied
        seed_url = reverse("admin:seeds_seed_change", args=[seed.pk])
        if seed.case_id is not None:
            message = f"この種にはすでに事例（No.{seed.case.number}）があります。"
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(seed_url)
        plan = services.plan_case(seed)
        form = MakeCaseForm(
            request.POST if request.method == "POST" else None,
            initial={"title": plan.title, "start_year": plan.start_year},
        )
        if form.is_valid():
            try:
                case = services.make_case(
                    seed,
                    user=request.user,
                    title=form.cleaned_data["title"],
                    methods=form.cleaned_data["methods"],
                    start_year=form.cleaned_data["start_year"],
                )
            except services.NotAllowed as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(seed_url)
            self.message_user(
                request,
                f"協働の種（{services.seed_reference(seed)}）から事例No.{case.number}を"
                "下書きで作りました。協働パートナーの役割や事業内容を書き足して保存してください。",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:cases_case_change", args=[case.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "事例にする",
            "seed": seed,
            "plan": plan,
            "form": form,
            "lead": plan.describe(plan.lead, plan.lead_name),
            "partners": [plan.describe(o, name) for o, name in plan.partners],
        }
        return TemplateResponse(request, "admin/seeds/seed/make_case.html", context)

    def reject_view(self, request: HttpRequest):
        """「却下する」: a reason is required, kept in the staff notes and mailed to each poster."""
        if not self.has_approve_permission(request):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        ids = [int(i) for i in source.get("ids", "").split(",") if i.strip().isdigit()]
        seeds = list(Seed.objects.filter(pk__in=ids).order_by("pk"))
        if not seeds:
            self.message_user(request, "却下する種を選んでください。", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:seeds_seed_changelist"))
        form = RejectSeedForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            count = services.reject_seeds(
                Seed.objects.filter(pk__in=[s.pk for s in seeds]),
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
            self.message_user(
                request,
                f"{count}件の協働の種を却下しました。理由を投稿者にメールで知らせました。",
                messages.SUCCESS,
            )
            if len(seeds) == 1:
                return HttpResponseRedirect(reverse("admin:seeds_seed_change", args=[seeds[0].pk]))
            return HttpResponseRedirect(reverse("admin:seeds_seed_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "協働の種を却下する",
            "seeds": seeds,
            "ids": ",".join(str(s.pk) for s in seeds),
            "form": form,
        }
        return TemplateResponse(request, "admin/seeds/seed/reject.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_approve"] = (
            obj is not None and not obj.is_public and self.has_approve_permission(request)
        )
        context["can_make_case"] = (
            obj is not None and obj.case_id is None and self.can_make_case(request, obj)
        )
        context["can_reject"] = (
            obj is not None
            and obj.review != Seed.Review.REJECTED
            and self.has_approve_permission(request)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description="選択した種を承認して公開する", permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.approve_seeds(queryset, user=request.user)
        self.message_user(request, f"{count}件の協働の種を承認し、公開しました。", messages.SUCCESS)

    @admin.action(description="選択した種を却下する（非公開）", permissions=["approve"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> HttpResponseRedirect:
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:seeds_seed_reject')}?ids={ids}")

    @admin.action(description="選択した種から事例を作る（事例にする）", permissions=["change"])
    def make_case(self, request: HttpRequest, queryset: QuerySet):
        if queryset.count() != 1:
            self.message_user(request, "事例にする種を1件だけ選んでください。", messages.ERROR)
            return None
        seed = queryset.get()
        if not self.can_make_case(request, seed):
            self.message_user(request, "事例を作る権限がありません。", messages.ERROR)
            return None
        return HttpResponseRedirect(reverse("admin:seeds_seed_make_case", args=[seed.pk]))


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """Consultations per seed; personal data, for staff who may see inquiries."""

    list_display = ["received", "seed", "sender", "inquiry_status", "accepted_at"]
    list_filter = [
        ("accepted_at", empty_filter("受付", empty="未対応", filled="対応済み")),
        ("seed", admin.RelatedOnlyFieldListFilter),  # the seeds asked about, not all of them
    ]
    list_select_related = ["seed", "inquiry"]
    readonly_fields = ["seed", "inquiry_link", "sender", "email", "message", "accepted_at"]
    fields = readonly_fields
    actions = ["accept"]

    def has_add_permission(self, request) -> bool:
        return False  # from the public form only

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and request.user.has_perm(
            "inquiries.view_inquiry"
        )

    @admin.display(description="受付日時", ordering="inquiry__created_at")
    def received(self, consultation: Consultation):
        return consultation.inquiry.created_at

    @admin.display(description="相談者")
    def sender(self, consultation: Consultation) -> str:
        inquiry = consultation.inquiry
        return f"{inquiry.name}（{inquiry.organization}）" if inquiry.organization else inquiry.name

    @admin.display(description="メールアドレス")
    def email(self, consultation: Consultation) -> str:
        return consultation.inquiry.email

    @admin.display(description="内容")
    def message(self, consultation: Consultation) -> str:
        return consultation.inquiry.message

    @admin.display(description="対応状況")
    def inquiry_status(self, consultation: Consultation) -> str:
        return consultation.inquiry.get_status_display()

    @admin.display(description="お問い合わせ")
    def inquiry_link(self, consultation: Consultation) -> str:
        url = reverse("admin:inquiries_inquiry_change", args=[consultation.inquiry_id])
        return format_html(
            '<a href="{}">お問い合わせ ID {}（対応状況・担当者・メモ）</a>',
            url,
            consultation.inquiry_id,
        )

    @admin.action(
        description="選択した相談を受け付ける（募集中の種は相談中に）", permissions=["change"]
    )
    def accept(self, request: HttpRequest, queryset: QuerySet) -> None:
        moved = sum(services.accept_consultation(c, user=request.user) for c in queryset)
        self.message_user(
            request,
            f"{queryset.count()}件の相談を受け付けました（相談中にした種：{moved}件）。",
            messages.SUCCESS,
        )
