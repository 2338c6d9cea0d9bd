"""The board's tags: a seed's card, and the admin index's queues (new seeds to review and
consultations to take on)."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from lib.text import escaped as _e
from seeds.models import Consultation, Seed
from seeds.selectors import SeedCard

register = template.Library()


@register.inclusion_tag("admin/seeds/queues.html", takes_context=True)
def seed_queues(context):
    user = context["request"].user
    return {
        "pending_seeds": Seed.objects.filter(review=Seed.Review.PENDING).count()
        if user.has_perm("seeds.view_seed")
        else None,
        "past_deadline": Seed.objects.public().past_deadline().count()
        if user.has_perm("seeds.view_seed")
        else None,
        "new_consultations": Consultation.objects.filter(accepted_at__isnull=True).count()
        if user.has_perm("seeds.view_consultation") and user.has_perm("inquiries.view_inquiry")
        else None,
    }


@register.simple_tag
def seed_card(seed: SeedCard, reasons=()) -> SafeString:
    """A seed's card on the board and beside cases. Written here in one pass with plain string
    formatting, every value escaped: the board shows twenty, and through the template language
    they were most of an uncached board page."""
    deadline = ""
    if seed.deadline:
        day = seed.deadline
        deadline = (
            f' ／ 募集期限 <time datetime="{day:%Y-%m-%d}">'
            f"{day.year}年{day.month}月{day.day}日</time>"
        )
    tags = "".join(f'<li class="tag tag--domain">{_e(name)}</li>' for name in seed.domains)
    tags += "".join(f'<li class="tag tag--want">求：{_e(x)}</li>' for x in seed.wanted_labels())
    tags += "".join(f'<li class="tag tag--offer">提供：{_e(x)}</li>' for x in seed.offered_labels())
    matched = ""
    if reasons:
        spans = "".join(f'<span class="reason">{_e(reason)}</span>' for reason in reasons)
        matched = (
            f'<p class="match-reasons"><span class="match-reasons__label">一致：</span>{spans}</p>'
        )
    return mark_safe(  # every value is escaped here, or is the code's own
        f'<article class="seed-card seed-card--{_e(seed.kind)}" id="seed-{seed.pk}">\n'
        f'<p class="seed-card__kind"><span class="seed-kind">{_e(seed.get_kind_display())}</span> '
        f'<span class="seed-status seed-status--{_e(seed.status)}">'
        f"{_e(seed.get_status_display())}</span></p>\n"
        f'<h3 class="seed-card__title"><a href="{_e(seed.get_absolute_url())}">{_e(seed.title)}'
        f"</a></h3>\n"
        f'<p class="seed-card__meta">{_e(seed.poster or "—")} ／ {_e(seed.area)}{deadline}'
        f"</p>\n"
        f'<p class="seed-card__summary">{_e(Truncator(seed.wish).chars(80))}</p>\n'
        f'<ul class="tags" aria-label="活動分野・求めているもの・提供できるもの">{tags}</ul>\n'
        f"{matched}\n</article>"
    )
