"""`pk__any_of=[...]`: membership in a list of any length, sent as one parameter."""

import json

from django.db import models
from django.db.models import Lookup


@models.IntegerField.register_lookup
class AnyOf(Lookup):
    """Like `__in`, without one query parameter per value: tens of thousands of ids stay one
    array (PostgreSQL) or one JSON text (SQLite), below every limit on parameters."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.rhs)]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*params, list(self.rhs)]
