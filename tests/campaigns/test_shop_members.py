"""Who runs the shop and as what: owners invite by e-mail (no account needed beforehand), change
roles and remove members; every change is in the shop's log, which nobody can edit."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.exceptions import AlreadyMember, InvitationClosed, OwnerOnly, OwnerStays
from campaigns.models import Invitation, Membership, Role, ShopLogEntry
from campaigns.models.team import invitation_digest
from campaigns.services import team
from tests.campaigns.shop_pages import members_url
from tests.factories import make_user
from tests.support import page_text, race


def remove_url(shop, user) -> str:
    return reverse("dashboard:member_remove", args=[shop.slug, user.pk])


def role_url(shop, user) -> str:
    return reverse("dashboard:member_role", args=[shop.slug, user.pk])


def log_url(shop) -> str:
    return reverse("dashboard:shop_log", args=[shop.slug])


def invitation_link() -> str:
    """The join link in the last e-mail sent, as a path."""
    found = re.search(r"http://[^/\s]+(/accounts/invitation/[^/\s]+/)", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def log_lines(shop) -> list[str]:
    return [str(entry.note) for entry in shop.log.order_by("created_at", "id")]


def test_members_page_lists_who_runs_the_shop_with_their_roles(
    seller, shop, member, django_assert_max_num_queries
):
    # given a few more members
    for _ in range(5):
        shop.members.add(make_user())

    # when
    with django_assert_max_num_queries(8):
        response = seller.get(members_url(shop))

    # then
    text = page_text(response)
    assert shop.owner.username in text
    assert "budi@example.com" in text
    assert '<option value="manager" selected>Manager</option>' in text
    assert remove_url(shop, member) in text
    assert remove_url(shop, shop.owner) not in text
    assert role_url(shop, shop.owner) not in text


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """An owner's invitation, its e-mail sent (as the worker would once the request commits)."""

    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return team.invite(**kwargs)

    return send


def test_an_owner_invites_by_email_and_the_invited_person_joins_with_a_new_account(
    seller, client, shop, django_capture_on_commit_callbacks
):
    # when the owner invites sari, who has no account
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(members_url(shop), {"email": "Sari@Example.com", "role": "staff"})
    seller.logout()

    # then she gets an e-mail with a link, and the page says so
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["sari@example.com"]
    assert "invites you to run Rajut Test" in mail.outbox[-1].subject
    link = invitation_link()

    # when she opens it and makes her account there
    page = client.get(link)
    joined = client.post(
        link, {"username": "sari", "password1": "a-long-pass-123", "password2": "a-long-pass-123"}
    )

    # then she is in, as staff, logged in on the shop's dashboard
    assert "Join Rajut Test on OpenPO" in page_text(page)
    assert joined["Location"] == reverse("dashboard:home", args=[shop.slug])
    membership = Membership.objects.get(shop=shop, user__username="sari")
    assert (membership.role, membership.user.email) == ("staff", "sari@example.com")
    assert client.get(joined["Location"]).status_code == 200
    assert log_lines(shop) == [
        "Invited sari@example.com as staff.",
        "sari joined as staff, invited as sari@example.com.",
    ]


def test_someone_with_an_account_joins_with_it(client, shop, invite):
    # given an invitation for an existing account
    dewi = make_user(username="dewi", email="dewi@example.com")
    invite(shop=shop, email="dewi@example.com", role=Role.MANAGER, actor=shop.owner)
    link = invitation_link()

    # when she logs in and accepts
    client.force_login(dewi)
    response = client.post(link)

    # then
    assert response.status_code == 302
    assert Membership.objects.get(shop=shop, user=dewi).role == "manager"


def test_an_invitation_link_works_once(client, shop, invite):
    # given an accepted invitation
    invite(shop=shop, email="sari@example.com", role=Role.STAFF, actor=shop.owner)
    link = invitation_link()
    client.post(
        link, {"username": "sari", "password1": "pw-12345-abc", "password2": "pw-12345-abc"}
    )
    client.logout()

    # when someone opens it again
    response = client.get(link)
    second = client.post(
        link, {"username": "eve", "password1": "pw-12345-abc", "password2": "pw-12345-abc"}
    )

    # then
    assert response.status_code == 404
    assert "no longer valid" in page_text(response)
    assert second.status_code == 404
    assert not Membership.objects.filter(user__username="eve").exists()


@pytest.mark.parametrize("how", ["expired", "withdrawn", "invited again", "made up"])
def test_a_link_that_no_longer_opens_the_door_says_so(client, seller, shop, how, invite):
    # given
    invitation = invite(shop=shop, email="sari@example.com", role="staff", actor=shop.owner)
    link = invitation_link()
    if how == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    elif how == "withdrawn":
        seller.post(reverse("dashboard:invitation_withdraw", args=[shop.slug, invitation.pk]))
    elif how == "invited again":
        team.invite(shop=shop, email="sari@example.com", role="manager", actor=shop.owner)
    else:
        link = "/accounts/invitation/not-a-real-token/"
    client.logout()

    # when
    response = client.get(link)

    # then
    assert response.status_code == 404
    assert "Ask the shop's owner for a new one." in page_text(response)


def test_an_owner_cannot_invite_someone_already_in_the_team(seller, shop, member):
    # when
    response = seller.post(members_url(shop), {"email": "budi@example.com", "role": "staff"})

    # then
    assert "That account is already a member of this shop." in page_text(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_invitation_with_a_bad_address_or_role_is_refused_and_sends_nothing(seller, shop):
    # when
    response = seller.post(members_url(shop), {"email": "not an email", "role": "boss"})

    # then
    text = page_text(response)
    assert "Enter a valid email address." in text
    assert "Select a valid choice." in text
    assert not Invitation.objects.exists()


def test_the_owner_changes_a_role_and_the_log_says_from_what_to_what(seller, shop, member):
    # when
    response = seller.post(role_url(shop, member), {"role": "staff"}, follow=True)

    # then
    assert Membership.objects.get(shop=shop, user=member).role == "staff"
    assert "budi is now Staff." in page_text(response)
    assert log_lines(shop) == ["budi: manager → staff."]


def test_the_founder_keeps_being_an_owner(seller, shop):
    # when
    role = seller.post(role_url(shop, shop.owner), {"role": "staff"}, follow=True)
    removed = seller.post(remove_url(shop, shop.owner), follow=True)

    # then
    assert Membership.objects.get(shop=shop, user=shop.owner).role == "owner"
    assert "The shop's founder stays its owner" in page_text(role)
    assert "The shop's founder stays its owner" in page_text(removed)
    assert log_lines(shop) == []


def test_a_second_owner_manages_members_too(client, shop, member):
    # given budi made an owner
    team.change_role(shop=shop, user=member, role=Role.OWNER, actor=shop.owner)
    other = make_user()
    shop.members.add(other)
    client.force_login(member)

    # when
    client.post(remove_url(shop, other))

    # then
    assert not shop.members.filter(pk=other.pk).exists()


def test_the_owner_removes_a_member_who_then_loses_the_shop(seller, client, shop, member):
    # when
    response = seller.post(remove_url(shop, member), follow=True)

    # then
    assert not shop.members.filter(pk=member.pk).exists()
    assert "budi no longer manages this shop." in page_text(response)
    assert log_lines(shop) == ["budi removed from the shop."]
    client.force_login(member)
    assert client.get(reverse("dashboard:home", args=[shop.slug])).status_code == 404


def test_removing_someone_who_is_not_a_member_is_a_404(seller, shop):
    assert seller.post(remove_url(shop, make_user())).status_code == 404


def test_the_membership_rules_hold_in_the_services_themselves(shop, member):
    # given a manager (not an owner)
    other = make_user(email="other@example.com")
    shop.members.add(other)

    # when / then
    with pytest.raises(OwnerOnly):
        team.invite(shop=shop, email="x@example.com", role="owner", actor=member)
    with pytest.raises(OwnerOnly):
        team.change_role(shop=shop, user=other, role="owner", actor=member)
    with pytest.raises(OwnerOnly):
        team.remove_member(shop=shop, user=other, actor=member)
    with pytest.raises(OwnerStays):
        team.remove_member(shop=shop, user=shop.owner, actor=shop.owner)
    with pytest.raises(AlreadyMember):
        team.invite(shop=shop, email="OTHER@example.com", role="staff", actor=shop.owner)
    with pytest.raises(InvitationClosed):
        team.accept_invitation(token="nope", user=other)
    assert Membership.objects.get(shop=shop, user=other).role == "staff"


def test_the_log_shows_owners_who_changed_what_and_when(seller, shop, member):
    # given
    team.change_role(shop=shop, user=member, role=Role.STAFF, actor=shop.owner)
    team.invite(shop=shop, email="sari@example.com", role=Role.MANAGER, actor=shop.owner)

    # when
    response = seller.get(log_url(shop))

    # then newest first, with who
    text = page_text(response)
    assert text.index("Invited sari@example.com as manager.") < text.index("budi: manager → staff.")
    assert f"Members · {shop.owner.username}" in text
    assert (
        response["Cache-Control"] == "private, no-store" or "no-store" in response["Cache-Control"]
    )


def test_the_log_reads_in_the_owners_language(seller, shop, member):
    # given
    team.change_role(shop=shop, user=member, role=Role.STAFF, actor=shop.owner)

    # when
    response = seller.get(log_url(shop), HTTP_ACCEPT_LANGUAGE="id")

    # then
    assert "budi: manajer → staf." in page_text(response)


def test_the_log_cannot_be_changed_or_deleted(shop, member):
    # given
    team.change_role(shop=shop, user=member, role=Role.STAFF, actor=shop.owner)
    entry = ShopLogEntry.objects.get()

    # when / then
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ShopLogEntry.objects.update(actor_name="someone else")
    with pytest.raises(TypeError):
        ShopLogEntry.objects.all().delete()
    assert ShopLogEntry.objects.get().actor_name == shop.owner.username


def test_a_staff_member_sees_no_links_to_what_their_role_cannot_open(client, shop):
    # given
    staff = make_user()
    shop.members.add(staff, through_defaults={"role": "staff"})
    client.force_login(staff)

    # when
    text = page_text(client.get(reverse("dashboard:home", args=[shop.slug])))

    # then
    assert reverse("dashboard:orders", args=[shop.slug]) in text
    assert reverse("dashboard:payments", args=[shop.slug]) in text
    for hidden in ("refunds", "statements", "members", "payment_accounts", "shop_settings"):
        assert reverse(f"dashboard:{hidden}", args=[shop.slug]) not in text, hidden


# --- at the same moment, on PostgreSQL --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_link_opened_by_ten_accounts_at_once_makes_one_member(shop):
    # given one invitation, and ten accounts holding its link
    token = "the-one-link"
    Invitation.objects.create(
        shop=shop,
        email="sari@example.com",
        role=Role.STAFF,
        digest=invitation_digest(token),
        invited_by=shop.owner,
        expires_at=timezone.now() + timedelta(days=1),
    )
    people = [make_user() for _ in range(10)]

    # when all ten accept at the same moment
    results = race(10, lambda i: team.accept_invitation(token=token, user=people[i]))

    # then one joined, the others were told the link is used
    joined = [r for r in results if isinstance(r, Membership)]
    assert len(joined) == 1, results
    assert all(isinstance(r, InvitationClosed) for r in results if r not in joined), results
    assert shop.memberships.count() == 2  # the founder and the one
    assert ShopLogEntry.objects.filter(shop=shop).count() == 1


def test_ongkir_changes_are_in_the_shop_log_too(seller, shop):
    # given
    url = reverse("dashboard:shipping", args=[shop.slug])

    # when the owner sets a flat rate, adds a pickup point and removes it
    seller.post(url, {"action": "rule", "shipping_rule": "flat", "shipping_flat_fee": "15.000"})
    seller.post(url, {"action": "pickup", "pickup-name": "Toko", "pickup-details": "Jl. Braga 5"})
    point = shop.pickup_points.get()
    seller.post(url, {"action": "pickup-remove", "id": str(point.pk)})

    # then
    assert log_lines(shop) == [
        "Ongkir: One flat rate for every order. Flat rate: Rp 15.000.",
        "Pickup point “Toko” added.",
        "Pickup point “Toko” removed.",
    ]
