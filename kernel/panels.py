"""Panels: a higher app's section on a lower app's page (the seeds on a case's theme on the
case's page), by registering, so that the lower app never imports the higher one.

An app registers, in its AppConfig.ready(), for a model label ("cases.case"), a template and a
function giving that template's context for an object (or None: nothing to show); the lower
app's template renders what is registered for its object with `{% panels obj %}`
(kernel.templatetags.panel_tags), in the order of registration.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

Context = Callable[[Model], dict | None]


@dataclass(frozen=True)
class Panel:
    template: str
    context: Context


_registry: dict[str, list[Panel]] = {}


def register(label: str, template: str, context: Context) -> None:
    """Show `template` on the page of each `label` object, with `context(obj)` when not None."""
    panels = _registry.setdefault(label.lower(), [])
    if not any(p.template == template for p in panels):
        panels.append(Panel(template, context))


def for_object(obj: Model) -> list[tuple[str, dict]]:
    """The templates and contexts of the panels registered for the object, those to show."""
    shown = []
    for panel in _registry.get(obj._meta.label_lower, []):
        context = panel.context(obj)
        if context is not None:
            shown.append((panel.template, context))
    return shown
