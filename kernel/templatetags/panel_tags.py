from django import template
from django.db.models import Model
from django.utils.safestring import SafeString, mark_safe

from kernel import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, obj: Model) -> SafeString:
    """The sections other apps registered for this object's page (kernel.panels)."""
    html = []
    for name, values in registry.for_object(obj):
        with context.push(values):  # as {% include %} renders, with the page's context
            html.append(context.template.engine.get_template(name).render(context))
    return mark_safe("".join(html))
