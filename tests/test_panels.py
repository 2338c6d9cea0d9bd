"""Panels: a higher app's section on a lower app's page, by registering (kernel.panels)."""

import pytest

from kernel import panels
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(panels, "_registry", {})
    return panels


def test_registered_panels_show_in_order_and_none_shows_nothing(registry):
    organization = factories.organization("NPO法人パネル")
    registry.register("partners.Organization", "a.html", lambda o: {"name": o.name})
    registry.register("partners.organization", "b.html", lambda o: None)
    registry.register("partners.organization", "c.html", lambda o: {})
    registry.register("partners.organization", "a.html", lambda o: {"twice": True})  # ignored
    assert registry.for_object(organization) == [
        ("a.html", {"name": "NPO法人パネル"}),
        ("c.html", {}),
    ]
    assert registry.for_object(factories.case(lead=organization)) == []
