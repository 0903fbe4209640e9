"""Several writes of one transaction in one round trip to the database.

An order's POST writes half a dozen small rows after the order itself (its lines, its event, its
running totals, its e-mail); each on its own is a round trip, and on a busy database the round
trips, not the rows, are what a buyer waits for. PostgreSQL runs them as one statement, each
write a data-modifying WITH (run whether or not the statement reads it); elsewhere (SQLite) they
run one after the other. The INSERTs are compiled by Django, as bulk_create would write them.
"""

from itertools import groupby

from django.db import connection
from django.db.models import Model
from django.db.models.sql import InsertQuery


def write_together(*, rows: list[Model], statements: list[tuple[str, list]] = ()) -> None:
    """INSERT `rows` (new model instances, each given its primary key; no signals, as with
    bulk_create) and run `statements` (SQL and its parameters, returning nothing).

    Call inside the transaction they belong to; none of them may depend on another's result.
    """
    if connection.vendor != "postgresql":
        for model, same in groupby(rows, key=type):
            model._base_manager.bulk_create(list(same))
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
        return
    parts, params, returned = [], [], []
    for n, row in enumerate(rows):
        sql, row_params = _insert(row)
        parts.append(f"row{n} AS ({sql})")
        params += row_params
        pk = connection.ops.quote_name(row._meta.pk.column)
        returned.append(f"SELECT {n}, {pk} FROM row{n}")  # noqa: S608 - names from the models
    for n, (sql, statement_params) in enumerate(statements):
        parts.append(f"write{n} AS ({sql})")
        params += statement_params
    with connection.cursor() as cursor:
        # Every value is a parameter; the SQL is Django's and the callers' own.
        cursor.execute(
            f"WITH {', '.join(parts)} {' UNION ALL '.join(returned) or 'SELECT NULL, NULL'}",
            params,
        )
        for n, pk in cursor.fetchall() if rows else []:
            rows[n].pk = pk
    for row in rows:
        row._state.adding, row._state.db = False, connection.alias


def _insert(row: Model) -> tuple[str, list]:
    """INSERT ... RETURNING the primary key of one new row, as bulk_create compiles it."""
    opts = row._meta
    fields = [
        field
        for field in opts.concrete_fields
        if not field.generated and not (field.primary_key and row.pk is None)
    ]
    query = InsertQuery(type(row))
    query.insert_values(fields, [row])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [opts.pk]
    ((sql, params),) = compiler.as_sql()
    return sql, list(params)
