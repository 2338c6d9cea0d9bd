"""Which organizations' changes wait for a 管理者: those the public sees anywhere."""

import pytest
from django.contrib.admin import site

from directory.admin import OrganizationAdmin
from partners.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_organization_is_public_when_listed_or_named_on_a_public_case_or_seed():
    review = OrganizationAdmin(Organization, site)
    quiet = factories.organization("まだ誰にも見えない会")
    assert not review.is_public(quiet)
    poster = factories.organization("種を出した会")
    factories.seed(organization=poster, review="pending")
    assert not review.is_public(poster)  # a seed not yet approved prints nothing
    factories.seed(organization=poster)
    assert review.is_public(poster)
    partner = factories.organization("事例の相手")
    factories.case(partners=(partner,))
    assert review.is_public(partner)
    listed = factories.organization("掲載する会", is_public=True)
    assert review.is_public(listed)
