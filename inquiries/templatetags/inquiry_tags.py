from django import template

from cases.models import Case
from inquiries.models import Inquiry, UpdateProposal

register = template.Library()


@register.inclusion_tag("admin/queues.html", takes_context=True)
def staff_queues(context):
    """New inquiries, waiting proposals and stale cases, for the admin index."""
    user = context["request"].user
    return {
        "new_inquiries": Inquiry.objects.filter(status=Inquiry.Status.NEW).count()
        if user.has_perm("inquiries.view_inquiry")
        else None,
        "pending_proposals": UpdateProposal.objects.filter(
            status=UpdateProposal.Status.PENDING
        ).count()
        if user.has_perm("inquiries.view_updateproposal")
        else None,
        "stale_cases": Case.objects.exclude(status=Case.Status.ARCHIVED).stale().count()
        if user.has_perm("cases.view_case")
        else None,
    }
