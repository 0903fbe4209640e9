"""Small pieces of SQL the ORM writes slowly: a page that must answer in a few milliseconds reads
flags in the query it makes anyway, rather than a query of their own, and compiles the SQL of its
smallest queries once."""

from functools import cache

from django.db.models import BooleanField, Expression


class HasRows(Expression):
    """Whether `model` has a row matching `where`: each field equal to a column of the query
    annotated (an F()) or to a value.

    `HasRows(PaymentAccount, shop=F("campaign__shop_id"), is_active=True)` says what
    `Exists(PaymentAccount.objects.filter(shop=OuterRef("campaign__shop_id"), is_active=True))`
    says, as `EXISTS (SELECT 1 FROM payments_paymentaccount WHERE shop_id = ... AND is_active =
    true)`. For Exists the ORM builds and compiles a whole inner query (about 0.25 ms a flag, on
    every request); this takes a few microseconds.
    """

    output_field = BooleanField()

    def __init__(self, model, **where):
        super().__init__()
        self.model = model
        self.fields = [model._meta.get_field(name) for name in where]
        self.values = list(where.values())

    def get_source_expressions(self):
        return [value for value in self.values if hasattr(value, "resolve_expression")]

    def set_source_expressions(self, exprs):
        exprs = iter(exprs)
        self.values = [
            next(exprs) if hasattr(value, "resolve_expression") else value for value in self.values
        ]

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        alias = qn("has_rows")  # an alias of its own: the table may be in the outer query too
        where, params = [], []
        for field, value in zip(self.fields, self.values, strict=True):
            if hasattr(value, "as_sql"):
                sql, value_params = compiler.compile(value)
            else:
                sql, value_params = "%s", [field.get_db_prep_value(value, connection)]
            where.append(f"{alias}.{qn(field.column)} = {sql}")
            params += value_params
        # Names from the models' metadata, quoted; every value compiled or passed as a parameter.
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
