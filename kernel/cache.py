"""The two caches: `default` for what is costly to compute (pages, indexes), and `shared` for
what every process must agree on at once (the catalogue version, rate-limit counters, slots).

With REDIS_URL both are Redis. Without it `default` is per process and `shared` is a table in
the database, so several workers (and management commands) still see one catalogue version
and one count per address. A Redis that stops answering is logged and, for a few seconds at a
time, replaced by a short-lived per-process cache: pages are then computed from the database.
"""

import base64
import logging
import pickle
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connections, router, transaction
from django.utils.connection import ConnectionProxy

logger = logging.getLogger(__name__)

shared = ConnectionProxy(caches, "shared")


class _ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis-py client (and its tables of reply parsers) for each
    operation; a page may make ten. One client per connection pool serves them all (redis-py's
    clients are thread-safe: each command takes a connection from the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FaultTolerantRedisCache(RedisCache):
    """Redis that never fails a request: after an error it is left alone for RETRY_AFTER
    seconds, and meanwhile a per-process cache whose entries live FALLBACK_TIMEOUT seconds
    stands in (so a change made meanwhile is seen by every worker within that time)."""

    RETRY_AFTER = 5
    FALLBACK_TIMEOUT = 10

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClientRedisCacheClient
        self._down_until = 0.0
        self._fallback = LocMemCache(f"fallback-{id(self)}", {"TIMEOUT": self.FALLBACK_TIMEOUT})

    @property
    def unavailable(self) -> bool:
        return time.monotonic() < self._down_until

    def ping(self) -> None:
        """Raise unless the server answers (for /readyz)."""
        self._cache.get_client().ping()

    def _short(self, timeout):
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return self.FALLBACK_TIMEOUT
        return min(timeout, self.FALLBACK_TIMEOUT)

    def _call(self, name: str, *args, fallback_args=None, **kwargs):
        if not self.unavailable:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except Exception as error:  # redis-py raises its own errors and OSError
                if isinstance(error, ValueError) and name in ("incr", "decr"):
                    raise  # a missing key, as every cache says
                self._down_until = time.monotonic() + self.RETRY_AFTER
                logger.error("Cache %s failed (%r): served without Redis for a while", name, error)
        return getattr(self._fallback, name)(*(fallback_args or args), **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "add", key, value, timeout, version, fallback_args=(key, value, self._short(timeout))
        )

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set", key, value, timeout, version, fallback_args=(key, value, self._short(timeout))
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version, fallback_args=(key, self._short(timeout)))

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set_many", data, timeout, version, fallback_args=(data, self._short(timeout))
        )

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache, with an `incr` that two processes cannot both win (the row is
    locked) and that keeps the key's expiry."""

    def ping(self) -> None:
        self.get("readyz")

    def incr(self, key, delta=1, version=None):
        full_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # SQLite's immediate transactions already hold the write lock here.
            if connection.features.has_select_for_update:
                cursor.execute(f"SELECT 1 FROM {table} WHERE cache_key = %s FOR UPDATE", [full_key])
            value = self.get(key, version=version)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            update = f"UPDATE {table} SET value = %s WHERE cache_key = %s"
            cursor.execute(update, [pickled, full_key])
        return value


def create_table(using: str = "default", **kwargs) -> None:
    """`migrate` makes the shared cache's table too (when it lives in the database)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def ping(alias: str) -> None:
    """Raise unless the cache `alias` answers (a per-process cache always does)."""
    backend = caches[alias]
    if hasattr(backend, "ping"):
        backend.ping()
