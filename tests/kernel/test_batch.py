"""Writes of one transaction sent together (kernel/batch.py): on PostgreSQL in one round trip,
each new row given its id, and nothing left out."""

from django.db import connection

from campaigns.models import PickupPoint
from kernel.batch import write_together
from kernel.models import RateCount


def test_rows_and_statements_are_written_in_one_round_trip(shop, django_assert_num_queries):
    # given two new pickup points, and a count to add to
    market = PickupPoint(shop=shop, name="Pasar Baru", details="Stall 12, 9-17")
    studio = PickupPoint(shop=shop, name="Studio", details="Jl. Contoh 1, weekends")
    count = RateCount.objects.create(key="order:10.0.0.3", window_ends=100, hits=3)
    table, hits, key = map(connection.ops.quote_name, (RateCount._meta.db_table, "hits", "key"))
    add = (f"UPDATE {table} SET {hits} = {hits} + %s WHERE {key} = %s", [4, count.key])  # noqa: S608

    # when they are written together
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        write_together(rows=[market, studio], statements=[add])

    # then each new row has its own id, as stored, and the statement ran
    assert market.pk != studio.pk
    assert PickupPoint.objects.get(pk=market.pk).name == "Pasar Baru"
    assert PickupPoint.objects.get(pk=studio.pk).name == "Studio"
    assert not market._state.adding
    count.refresh_from_db()
    assert count.hits == 7
