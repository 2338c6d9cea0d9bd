"""Small builders for test data: each returns a saved object with sensible defaults."""

import datetime
import io
import itertools

from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.files.base import ContentFile
from PIL import Image

from cases.models import Case, CasePartner, Domain, Method, Photo, ScheduleItem
from kernel import bitmaps, catalogue, feed, listing, pagecache
from partners.models import Area, Organization

_numbers = itertools.count(1000)

# What staff users made by `staff_user` type into the login form.
STAFF_PASSWORD = "kyoudou-2026-pass"

# The 12 fields of ちばコラボナビ, as a reader sees their headings, in order.
TWELVE_FIELDS = [
    "活動分野",
    "協働パートナーの種別",
    "事業の手法",
    "事業費",
    "事業概要",
    "協働までの経緯",
    "主な事業内容",
    "主な協働パートナーとの役割分担",
    "協働事業によって生まれた成果",
    "コラボのコツ",
    "今後力を入れていきたいこと",
    "運営団体マネジメント＆活動実績",
]


def area(name: str = "千葉市") -> Area:
    return Area.objects.get(name=name)


def organization(name: str = "NPO法人テスト", kind: str = "npo", **fields) -> Organization:
    fields.setdefault("kana", "テスト")
    fields.setdefault("area", area())
    obj = Organization.objects.create(name=name, kind=kind, **fields)
    obj.refresh_from_db()
    return obj


def case(
    title: str = "テストの協働事例",
    *,
    status: str = Case.Status.PUBLISHED,
    domains: tuple[str, ...] = ("まちづくり",),
    methods: tuple[str, ...] = ("委託",),
    partners: tuple[Organization, ...] = (),
    lead: Organization | None = None,
    area_name: str = "千葉市",
    schedule: tuple[tuple[str, str], ...] = (),
    photos: int = 0,
    **fields,
) -> Case:
    fields.setdefault("number", next(_numbers))
    fields.setdefault("summary", "地域の課題に一緒に取り組みました。")
    fields.setdefault("start_year", 2020)
    fields.setdefault("published_on", datetime.date(2024, 4, 1))
    fields.setdefault("verified_on", datetime.date.today())
    lead = lead or organization(name=f"運営団体{fields['number']}")
    with feed.batch():  # one write, as a staff page makes it: one revision
        obj = _case(title, status, domains, methods, partners, lead, area_name, schedule, photos,
                    fields)  # fmt: skip
    obj.refresh_from_db()  # with what the end of the write derived (its search text)
    return obj


def _case(title, status, domains, methods, partners, lead, area_name, schedule, photos, fields):
    obj = Case.objects.create(
        title=title, status=status, area=area(area_name), lead_organization=lead, **fields
    )
    obj.domains.set(Domain.objects.filter(name__in=domains))
    obj.methods.set(Method.objects.filter(name__in=methods))
    for i, partner in enumerate(partners):
        CasePartner.objects.create(case=obj, organization=partner, role=f"役割{i + 1}", order=i)
    for i, (period, activity) in enumerate(schedule):
        ScheduleItem.objects.create(case=obj, period=period, activity=activity, order=i)
    for i in range(photos):
        photo(obj, order=i)
    return obj


def photo(case: Case, **fields) -> Photo:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 120, 100)).save(buffer, "JPEG")
    fields.setdefault("alt_text", "川辺で清掃する人たちのイラスト")
    fields.setdefault("caption", "清掃活動の様子")
    obj = Photo(case=case, **fields)
    obj.image.save(f"test-{case.number}.jpg", ContentFile(buffer.getvalue()))
    return obj


def staff_login(client, group: str) -> User:
    """Sign the test client in as a staff member of this role group (事例編集者, 管理者, …)."""
    user = User.objects.create_user(f"{group}-user", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def seed(
    title: str = "一緒に花壇を育てませんか",
    *,
    kind: str = "wish",
    review: str = "approved",
    status: str = "open",
    domains: tuple[str, ...] = ("まちづくり",),
    area_name: str = "千葉市",
    **fields,
):
    """A 協働の種 (approved and 募集中 unless told), with its search text."""
    from seeds.models import Seed  # a higher app than the cases these builders mostly make

    fields.setdefault("poster_name", "いずみ野の会")
    fields.setdefault("issue", "公園の植え込みが荒れています。")
    fields.setdefault("wish", "季節の花壇を一緒に育てたい。")
    fields.setdefault("resources_wanted", ["people"])
    fields.setdefault("resources_offered", ["place"])
    fields.setdefault("contact_person", "種田 花子")
    fields.setdefault("contact_email", "hanako@example.jp")
    fields.setdefault("contact_phone", "043-111-2222")
    if review == "approved":
        fields.setdefault("approved_on", datetime.date(2026, 10, 1))
    obj = Seed.objects.create(
        title=title, kind=kind, review=review, status=status, area=area(area_name), **fields
    )
    obj.domains.set(Domain.objects.filter(name__in=domains))
    obj.refresh_from_db()
    return obj


def staff_user(group: str, username: str | None = None) -> User:
    """A staff member in one of the groups the migration made (事例編集者, 管理者)."""
    user = User.objects.create_user(
        username or f"{group}-clerk", password=STAFF_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def inquiry_form(**changes) -> dict:
    """A valid お問い合わせ as its form posts it, with `changes`."""
    return {
        "kind": "consultation",
        "name": "千葉 花子",
        "organization": "NPO法人みどり",
        "email": "hanako@example.jp",
        "phone": "043-000-0000",
        "message": "企業との協働について相談したいです。",
        "consent": "on",
        **changes,
    }


def proposal_form(case: Case, **changes) -> dict:
    """An update proposal as its form posts it back untouched, with the sender and `changes`."""
    from django.forms import FileField

    from inquiries.forms import UpdateProposalForm  # a higher app than cases

    form = UpdateProposalForm(case=case)
    inputs = [form[name] for name in form.fields]
    for formset in form.formsets:
        inputs += [*formset.management_form, *(field for row in formset for field in row)]
    data = {
        field.html_name: "" if field.value() is None else field.value()
        for field in inputs
        if not isinstance(field.field, FileField)
    }
    data.update(
        name="房総 太郎",
        organization="NPO法人みどり",
        email="taro@example.jp",
        relation="lead",
        consent="on",
    )
    data.update(changes)
    return data


def seed_form(**changes) -> dict:
    """A valid 協働の種 as its public form posts it, with `changes`."""

    return {
        "kind": "offer",
        "title": "読み聞かせのボランティアをします",
        "poster_name": "ちば読書の会",
        "contact_person": "本田 読子",
        "contact_email": "yomiko@example.jp",
        "contact_phone": "043-222-3333",
        "area": str(Area.objects.get(name="千葉市").pk),
        "domains": [str(Domain.objects.get(name="教育・文化").pk)],
        "issue": "読み聞かせの担い手が減っています。",
        "wish": "学校や図書館で読み聞かせをします。",
        "partner_types_wanted": ["education"],
        "resources_wanted": ["place"],
        "resources_offered": ["people"],
        "period": "通年",
        "deadline": "",
        "keywords": "読み聞かせ 図書館",
        "consent": "on",
        **changes,
    }


def consultation_form(**changes) -> dict:
    """A valid 相談 about a seed as its form posts it, with `changes`."""
    return {
        "name": "相談 太郎",
        "organization": "みどり造園",
        "email": "taro@example.jp",
        "phone": "",
        "message": "花壇づくりの講師を出せます。",
        "consent": "on",
        **changes,
    }


def cold() -> None:
    """Every cache empty and nothing held by this process (indexes, pages, cards, options): a
    page computed from scratch, as right after a start."""
    for cache in caches.all():
        cache.clear()
    bitmaps.forget()
    pagecache.forget()
    listing.forget()
    catalogue.forget()
