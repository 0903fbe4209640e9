"""Rows read as text inside another query: what a digest of them needs, without loading them."""

from django.db import NotSupportedError
from django.db.models import Func, TextField


class RowsText(Func):
    """For each (model, column, value) given, every row of `model` whose `column` equals
    `value` (an expression of the outer query), all its columns in the model's order, as a JSON
    array of arrays ("[]" for none); the arrays one after the other, as one text.

    Written out rather than built from the ORM's JSON functions and subqueries: resolving and
    compiling those cost more per request than the queries this stands in for.
    """

    output_field = TextField()

    def __init__(self, *tables):
        super().__init__(*(value for _model, _column, value in tables))
        self.tables = [(model, column) for model, column, _value in tables]

    def _rows(self, compiler, connection, *, aggregate: str):
        quote = connection.ops.quote_name
        parts, params = [], []
        for (model, column), value in zip(self.tables, self.source_expressions, strict=True):
            value_sql, value_params = compiler.compile(value)
            meta = model._meta
            columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
            # Names from the model, quoted; the value's parameters stay parameters. In the order
            # of their keys, so that the same rows read as the same text.
            rows = (
                f"SELECT {columns} FROM {quote(meta.db_table)}"  # noqa: S608
                f" WHERE {quote(column)} = {value_sql} ORDER BY {quote(meta.pk.column)}"
            )
            parts.append(f"(SELECT {aggregate.format(columns)} FROM ({rows}) AS r)")  # noqa: S608
            params.extend(value_params)
        return f"({' || '.join(parts)})", params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"RowsText is not written for {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        return self._rows(
            compiler, connection, aggregate="COALESCE(JSON_AGG(JSON_BUILD_ARRAY({}))::text, '[]')"
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self._rows(compiler, connection, aggregate="JSON_GROUP_ARRAY(JSON_ARRAY({}))")
