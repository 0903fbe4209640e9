"""Every dashboard URL tried by each role: owner, manager and staff.

The table below names the least role each URL allows; the walk reads the dashboard's URL patterns
themselves, so a URL added without a line here fails until someone decides who may use it. Below
that role a member gets a 403 page and nothing changes; from that role up the page answers.
"""

import pytest

from campaigns.models import Role, Shop
from campaigns.views.access import seller_view
from tests.factories import make_user
from tests.support import dashboard_routes, params, url_for
from tests.test_seller_scoping import snapshot, victim  # noqa: F401  (the fixture)

OWN, M, S = Role.OWNER, Role.MANAGER, Role.STAFF

LEAST_ROLE = {
    # daily work: everyone in the team
    "home": S,
    "campaign": S,
    "campaign_qr": S,
    "campaign_poster": S,
    "history": S,
    "emails": S,
    "email_send_again": S,
    "alerts": S,
    "orders": S,
    "order": S,
    "order_note": S,
    "order_send_link": S,
    "order_ship": S,
    "order_complete": S,
    "campaign_shipping": S,
    "campaign_shipping_confirm": S,
    "campaign_orders": S,
    "campaign_recap": S,
    "campaign_waitlist": S,
    "campaign_export": S,
    "payments": S,
    "payment_verify": S,
    "payment_reject": S,
    "payment_proof": S,
    "payment_proof_thumbnail": S,
    # campaigns, their decisions, money back and cancelling: managers
    "campaign_new": M,
    "campaign_edit": M,
    "campaign_duplicate": M,
    "campaign_publish": M,
    "campaign_unpublish": M,
    "campaign_start_production": M,
    "campaign_finish_production": M,
    "campaign_extend": M,
    "campaign_fail": M,
    "campaign_cancel": M,
    "campaign_announce": M,
    "campaign_revise_dates": M,
    "campaign_photos": M,
    "campaign_photo": M,
    "campaign_photo_delete": M,
    "vendors": M,
    "vendor_new": M,
    "vendor_edit": M,
    "campaign_quotes": M,
    "campaign_quote_choose": M,
    "campaign_quote_suggestions": M,
    "order_cancel": M,
    "order_refund": M,
    "order_payment_record": M,
    "order_shipping_fee": M,
    "statements": M,
    "statement_upload": M,
    "statement": M,
    "statement_columns": M,
    "statement_confirm": M,
    "statement_lines": M,
    "statement_line": M,
    "statement_line_match": M,
    "statement_line_dismiss": M,
    "refunds": M,
    "refund_sent": M,
    "refund_gateway": M,
    "refund_proof": M,
    "overdue_balances": M,
    "balance_extend": M,
    "balance_cancel": M,
    # who runs the shop, where the money goes, the shop itself: owners
    "shop_settings": OWN,
    "shipping": OWN,
    "members": OWN,
    "member_role": OWN,
    "member_remove": OWN,
    "invitation_withdraw": OWN,
    "shop_log": OWN,
    "payment_accounts": OWN,
    "gateways": OWN,
    "gateway_midtrans": OWN,
    "gateway_xendit": OWN,
    "gateway_fake": OWN,
    "payment_account_new": OWN,
    "payment_account_edit": OWN,
    "payment_account_delete": OWN,
}

ROUTES = [(name, route) for name, route in dashboard_routes() if "shop_slug" in params(route)]
RANK = {S: 1, M: 2, OWN: 3}


def test_every_dashboard_url_says_which_roles_may_use_it():
    missing = sorted(name for name, _ in ROUTES if name not in LEAST_ROLE)
    assert not missing, f"decide the least role of {missing} in LEAST_ROLE and in its view"
    assert not set(LEAST_ROLE) - {name for name, _ in ROUTES}, "LEAST_ROLE names a gone URL"


def test_a_seller_view_cannot_be_written_without_its_role():
    with pytest.raises(TypeError):
        seller_view(lambda request, shop: None)


@pytest.fixture
def as_role(client, victim):  # noqa: F811
    """Log in as a member of the victim shop with the role asked; the owner is its founder."""
    shop = Shop.objects.get(slug=victim["shop_slug"])
    colleague = make_user()
    shop.members.add(colleague, through_defaults={"role": Role.STAFF})
    victim["user_id"] = colleague.pk

    def login(role):
        if role == OWN:
            user = shop.owner
        else:
            user = make_user()
            shop.members.add(user, through_defaults={"role": role})
        client.force_login(user)
        return client

    return login


CASES = [
    (name, route, role) for name, route in ROUTES if name in LEAST_ROLE for role in (OWN, M, S)
]


@pytest.mark.parametrize(("name", "route", "role"), CASES, ids=[f"{n}-{r}" for n, _, r in CASES])
def test_each_role_gets_exactly_the_urls_its_role_allows(as_role, victim, name, route, role):  # noqa: F811
    # given a member with this role
    client = as_role(role)
    url = url_for(route, victim)
    before = snapshot()

    # when, by each method (a method the view does not take is refused first: 405)
    responses = [
        client.get(url),
        client.post(url, {"reason": "x", "note": "x", "email": "x@example.com", "role": "staff"}),
    ]

    # then
    statuses = [r.status_code for r in responses if r.status_code != 405]
    assert statuses, name
    if RANK[role] >= RANK[LEAST_ROLE[name]]:
        assert 403 not in statuses, (name, role, statuses)
    else:
        assert set(statuses) == {403}, (name, role, statuses)
        assert snapshot() == before
        assert all(
            "Not for your role" in r.content.decode() for r in responses if r.status_code == 403
        )
