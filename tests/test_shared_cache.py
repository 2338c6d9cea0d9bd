"""What every worker must agree on (the catalogue version, rate limits) is shared without
Redis too: in the database."""

import pytest
from django.core.cache import caches
from django.db import connection

from cases.models import Case
from kernel import catalogue, feed
from kernel.cache import SharedDatabaseCache
from tests import factories, served

pytestmark = pytest.mark.django_db

DATABASE_CACHE = {
    "BACKEND": "kernel.cache.SharedDatabaseCache",
    "LOCATION": "collanavi_shared_cache",
}


@pytest.fixture
def database_shared(settings):
    settings.CACHES = {**settings.CACHES, "shared": DATABASE_CACHE}
    return caches["shared"]


def another_process() -> SharedDatabaseCache:
    return SharedDatabaseCache("collanavi_shared_cache", {})


def test_a_change_renews_the_version_every_process_reads(database_shared):
    case = factories.case(title="共有する事例")
    before = catalogue.version()
    case.status = Case.Status.ARCHIVED
    case.save()
    assert catalogue.version() != before
    assert feed.head() == catalogue.version()  # the database's change feed: one for all


def test_incr_counts_every_call_and_keeps_the_expiry(database_shared):
    database_shared.add("count", 0, 600)
    assert [database_shared.incr("count") for _ in range(3)] == [1, 2, 3]
    assert database_shared.incr("count", 10) == 13
    with pytest.raises(ValueError):
        database_shared.incr("missing")
    database_shared.add("gone", 0, -1)  # already expired
    with pytest.raises(ValueError):
        database_shared.incr("gone")


def test_the_form_limit_is_counted_in_the_database(client, database_shared, settings):
    settings.RATE_LIMIT_FORMS = (10, 600)
    form = {"path": "/", "useful": "true"}
    statuses = [client.post("/feedback/", form).status_code for _ in range(12)]
    assert statuses.count(429) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM collanavi_shared_cache")
        assert any("ratelimit:feedback" in key for (key,) in cursor.fetchall())


@pytest.mark.process  # two gunicorn workers
@pytest.mark.django_db(transaction=False)
def test_two_workers_without_redis_forget_an_archived_case_at_once(site_env):
    env = site_env
    number = served.manage(
        env, code="from tests import factories; print(factories.case(title='終わる事例').number)"
    )
    with served.Server(env) as server:
        assert server.started
        path = f"/cases/{number}/"
        assert {server.get(path)[0] for _ in range(40)} == {200}  # cached in both workers
        served.manage(  # a change saved by another process, as the admin or an import would
            env,
            code=f"from cases.models import Case; c = Case.objects.get(number={number}); "
            "c.status = Case.Status.ARCHIVED; c.save()",
        )
        assert [server.get(path)[0] for _ in range(40)] == [410] * 40
        # the form limit counts the posts both workers take
        feedback = {"path": "/", "useful": "true"}
        statuses = [server.post_form("/feedback/", feedback)[0] for _ in range(14)]
    assert statuses.count(429) == 4, statuses


def test_a_page_reads_the_catalogue_version_once(client, database_shared):
    from django.test.utils import CaptureQueriesContext

    factories.case(number=1)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cases/?q=協働").status_code == 200
    reads = [q["sql"] for q in queries if "kernel_change" in q["sql"]]
    # its head, and the newest change of each kind (what the facets' options and menus read)
    assert len(reads) == 2, reads


def test_a_change_made_by_the_request_moves_its_version_on(rf):
    seen = []

    def view(request):
        seen.append(catalogue.version())
        feed.record({"case:1"})
        seen.append(catalogue.version())
        return None

    catalogue.VersionPerRequest(view)(rf.get("/"))
    assert feed.position(seen[1]) > feed.position(seen[0])
    assert catalogue.version() == seen[1]  # outside a request: read from the feed
