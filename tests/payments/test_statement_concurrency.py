"""Two people importing the same transfers at the same moment, on real PostgreSQL connections:
each transfer is still credited once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order
from payments.models import Payment, StatementImport, StatementLine
from payments.services.crediting import credit_statement_line
from payments.services.statements import confirm_statement, preview_statement, upload_statement
from tests.factories import make_campaign, make_order
from tests.payments.statement_files import klikbca, upload
from tests.support import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting(coded_shop):
    """Ten orders waiting for their down payment since yesterday."""
    yesterday = timezone.now() - timedelta(days=1)
    campaign = make_campaign(coded_shop, capacity=None, opens_at=yesterday - timedelta(days=1))
    return [make_order(campaign, now=yesterday) for _ in range(10)]


def statement_of(orders) -> str:
    today = timezone.localdate()
    return klikbca(
        [(today, o.transfer_amounts.get().amount, f"TRSF CR BUYER {o.pk}") for o in orders]
    )


def test_the_same_statement_confirmed_twice_at_once_credits_each_transfer_once(coded_shop, waiting):
    # given the same mutasi uploaded twice (two team members, two tabs), both previewed
    text = statement_of(waiting)
    drafts = []
    for _ in range(2):
        statement = upload_statement(
            shop=coded_shop, layout="bca", upload=upload(text), actor=coded_shop.owner
        )
        drafts.append((statement, preview_statement(statement=statement).digest))
    StatementImport.objects.update(uploaded_by=None)  # neither upload replaced the other

    # when both confirm at the same moment
    results = race(
        2,
        lambda i: confirm_statement(
            statement=drafts[i][0], digest=drafts[i][1], actor=coded_shop.owner
        ),
    )

    # then every order is paid once, by one line: the second import found the lines there
    assert StatementLine.objects.count() == 10
    assert Payment.objects.count() == 10
    assert Order.objects.filter(status=Order.Status.CONFIRMED).count() == 10
    assert sum(not isinstance(r, Exception) for r in results) >= 1, results


def test_a_line_credited_by_two_people_at_once_is_credited_once(coded_shop, waiting):
    # given an open line, and two orders the two people each think it pays
    statement = upload_statement(
        shop=coded_shop,
        layout="bca",
        upload=upload(klikbca([(timezone.localdate(), 75000, "TRSF CR SOMEBODY")])),
        actor=coded_shop.owner,
    )
    confirm_statement(
        statement=statement,
        digest=preview_statement(statement=statement).digest,
        actor=coded_shop.owner,
    )
    line = StatementLine.objects.get()

    # when both credit it at the same moment
    results = race(
        2,
        lambda i: credit_statement_line(line=line, order=waiting[i], actor=coded_shop.owner),
    )

    # then one of them did, and the other was told the line is already credited
    assert sum(isinstance(r, Payment) for r in results) == 1, results
    assert Payment.objects.filter(statement_line=line).count() == 1
