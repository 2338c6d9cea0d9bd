"""The admin index's queue of case changes: 承認待ち for 管理者, the outcome for editors."""

from django import template

from cases.models import Case, Revision

register = template.Library()


@register.inclusion_tag("admin/cases/queues.html", takes_context=True)
def revision_queue(context):
    user = context["request"].user
    pending = Revision.objects.filter(status=Revision.Status.PENDING)
    if user.has_perm("cases.review_revision"):
        return {"reviewer": True, "pending": pending.count()}
    if user.has_perm("cases.view_revision"):
        mine = Revision.objects.filter(author=user)
        return {
            "reviewer": False,
            "pending": pending.filter(author=user).count(),
            "returned": mine.filter(status=Revision.Status.RETURNED).count(),
        }
    return {"pending": None}


@register.inclusion_tag("admin/cases/drafts.html", takes_context=True)
def draft_queue(context):
    """公開待ちの下書き, for those who may publish them."""
    if not context["request"].user.has_perm("cases.publish_case"):
        return {"drafts": None}
    return {"drafts": Case.objects.filter(status=Case.Status.DRAFT).count()}
