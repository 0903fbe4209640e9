"""Rows read as text inside another query: what a digest of them needs, without loading them."""

from django.db import NotSupportedError
from django.db.models import Func, TextField


class RowsText(Func):
    """Every row of `model` whose `column` equals `value` (an expression of the outer query),
    all its columns, as one JSON array of arrays ("[]" for none).

    Written out rather than built from the ORM's JSON functions and a subquery: resolving and
    compiling those cost more per request than the two queries this stands in for.
    """

    output_field = TextField()

    def __init__(self, model, column: str, value):
        super().__init__(value)
        self.model, self.column = model, column

    def _rows(self, compiler, connection, *, aggregate: str):
        value_sql, params = compiler.compile(self.source_expressions[0])
        quote = connection.ops.quote_name
        meta = self.model._meta
        columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
        # Names from the model, quoted; the value's parameters stay parameters. In the order of
        # their keys, so that the same rows read as the same text.
        rows = (
            f"SELECT {columns} FROM {quote(meta.db_table)}"  # noqa: S608
            f" WHERE {quote(self.column)} = {value_sql} ORDER BY {quote(meta.pk.column)}"
        )
        return f"(SELECT {aggregate.format(columns)} FROM ({rows}) AS r)", params  # noqa: S608

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"RowsText is not written for {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        return self._rows(
            compiler, connection, aggregate="COALESCE(JSON_AGG(JSON_BUILD_ARRAY({}))::text, '[]')"
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self._rows(compiler, connection, aggregate="JSON_GROUP_ARRAY(JSON_ARRAY({}))")
