from django import template

from inquiries.models import Inquiry, UpdateProposal

register = template.Library()


@register.inclusion_tag("admin/inquiries/queues.html", takes_context=True)
def staff_queues(context):
    """How many inquiries are new and how many proposals wait, for the admin index."""
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
    }
