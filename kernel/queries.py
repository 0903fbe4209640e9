"""Small pieces of SQL the ORM writes slowly: a page that must answer in a few milliseconds reads
flags in the query it makes anyway, rather than a query of their own."""

from functools import cache

from django.db.models import BooleanField, Expression, F


class HasRows(Expression):
    """Whether `model` has a row whose `field` (a foreign key) equals `outer`, a column of the
    query annotated (an F()); with `true`, only rows where those boolean fields are true.

    `HasRows(Payment, "order", F("pk"))` says what `Exists(Payment.objects.filter(order=
    OuterRef("pk")))` says, as `EXISTS (SELECT 1 FROM payments_payment WHERE order_id = ...)`;
    the ORM builds and compiles a whole inner query for Exists (about 0.25 ms a flag, on every
    request), and this in a few microseconds.
    """

    output_field = BooleanField()

    def __init__(self, model, field: str, outer: F, *, true: tuple[str, ...] = ()):
        super().__init__()
        self.model = model
        self.column = model._meta.get_field(field).column
        self.flags = tuple(model._meta.get_field(name).column for name in true)
        self.outer = outer

    def get_source_expressions(self):
        return [self.outer]

    def set_source_expressions(self, exprs):
        (self.outer,) = exprs

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        outer, params = compiler.compile(self.outer)
        # An alias of its own: the table may be in the outer query too.
        alias = qn("has_rows")
        where = [f"{alias}.{qn(self.column)} = {outer}"]
        where += [f"{alias}.{qn(flag)}" for flag in self.flags]
        # Names from the models' metadata, quoted; the only value, the outer column, is compiled.
        table = qn(self.model._meta.db_table)
        return f"EXISTS (SELECT 1 FROM {table} {alias} WHERE {' AND '.join(where)})", params  # noqa: S608


def rows_of(model, field: str, value) -> list:
    """`list(model.objects.filter(**{field: value}))`, in the model's own order, with its SQL
    compiled once per process: the ORM takes longer to write a query this small (a few tenths
    of a millisecond) than the database takes to answer it."""
    return list(model._default_manager.raw(_sql_of(model, field), [value]))


@cache
def _sql_of(model, field: str) -> str:
    sql, params = model._default_manager.filter(**{field: 0}).query.sql_with_params()
    if len(params) != 1:
        raise ValueError(f"{model.__name__}.{field}: one value expected in {sql!r}")
    return sql
