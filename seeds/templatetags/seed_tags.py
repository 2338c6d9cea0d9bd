"""The admin index's queues of the board: new seeds to review and consultations to take on."""

from django import template

from seeds.models import Consultation, Seed

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
