"""Who runs the shop: the owner adds and removes members, and only the owner may."""

import pytest
from django.urls import reverse

from campaigns.exceptions import OwnerOnly, OwnerStays
from campaigns.services.shops import add_member, remove_member
from tests.campaigns.shop_pages import members_url
from tests.factories import make_user
from tests.support import page_text


def remove_url(shop, user) -> str:
    return reverse("dashboard:member_remove", args=[shop.slug, user.pk])


def test_members_page_lists_who_runs_the_shop(seller, shop, member, django_assert_max_num_queries):
    # given a few more members
    for _ in range(5):
        shop.members.add(make_user())

    # when
    with django_assert_max_num_queries(6):
        response = seller.get(members_url(shop))

    # then
    text = page_text(response)
    assert shop.owner.username in text
    assert "budi@example.com" in text
    assert 'class="table"' in text
    assert 'data-label="Role"' in text
    assert remove_url(shop, member) in text
    assert remove_url(shop, shop.owner) not in text


def test_the_owner_adds_an_existing_account_by_its_email(seller, shop):
    # given
    sari = make_user(username="sari", email="sari@example.com")

    # when
    response = seller.post(members_url(shop), {"email": "Sari@Example.com"}, follow=True)

    # then
    assert shop.members.filter(pk=sari.pk).exists()
    assert "sari can now manage this shop." in page_text(response)


def test_the_new_member_can_then_open_the_shops_dashboard(client, shop):
    # given
    sari = make_user(username="sari", email="sari@example.com")
    add_member(shop=shop, email="sari@example.com", actor=shop.owner)

    # when
    client.force_login(sari)

    # then
    assert client.get(reverse("dashboard:home", args=[shop.slug])).status_code == 200


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.com", "No OpenPO account uses that email; ask them to sign up first."),
        ("budi@example.com", "That account is already a member of this shop."),
        ("not an email", "Enter a valid email address."),
    ],
)
def test_adding_a_member_refused_says_why(seller, shop, member, email, message):
    # given
    members_before = set(shop.members.all())

    # when
    response = seller.post(members_url(shop), {"email": email})

    # then
    assert response.status_code == 200
    assert message in page_text(response)
    assert set(shop.members.all()) == members_before


def test_a_member_who_is_not_the_owner_cannot_add_anyone(client, shop, member):
    # given
    make_user(username="sari", email="sari@example.com")
    client.force_login(member)

    # when
    page = client.get(members_url(shop))
    response = client.post(members_url(shop), {"email": "sari@example.com"})

    # then
    assert 'name="email"' not in page.content.decode()
    assert response.status_code == 403
    assert "Only the shop's owner can add or remove members." in page_text(response)
    assert not shop.members.filter(username="sari").exists()


def test_the_owner_removes_a_member(seller, shop, member):
    # when
    response = seller.post(remove_url(shop, member), follow=True)

    # then
    assert not shop.members.filter(pk=member.pk).exists()
    assert "budi no longer manages this shop." in page_text(response)


def test_a_removed_member_loses_the_shop(client, shop, member):
    # given
    remove_member(shop=shop, user=member, actor=shop.owner)

    # when
    client.force_login(member)

    # then
    assert client.get(reverse("dashboard:home", args=[shop.slug])).status_code == 404


def test_the_owner_is_never_removed(seller, shop):
    # when
    response = seller.post(remove_url(shop, shop.owner), follow=True)

    # then
    assert shop.members.filter(pk=shop.owner.pk).exists()
    assert "The owner cannot be removed from the shop." in page_text(response)


def test_a_member_who_is_not_the_owner_cannot_remove_anyone(client, shop, member):
    # given
    other = make_user()
    shop.members.add(other)
    client.force_login(member)

    # when
    response = client.post(remove_url(shop, other), follow=True)

    # then
    assert shop.members.filter(pk=other.pk).exists()
    assert "Only the shop's owner can add or remove members." in page_text(response)


def test_removing_someone_who_is_not_a_member_is_a_404(seller, shop):
    # given
    stranger = make_user()

    # when
    response = seller.post(remove_url(shop, stranger))

    # then
    assert response.status_code == 404


def test_removing_a_member_takes_a_post(seller, shop, member):
    # when
    response = seller.get(remove_url(shop, member))

    # then
    assert response.status_code == 405
    assert shop.members.filter(pk=member.pk).exists()


def test_the_membership_rules_hold_in_the_service_itself(shop, member):
    # given
    other = make_user(email="other@example.com")

    # when / then
    with pytest.raises(OwnerOnly):
        add_member(shop=shop, email="other@example.com", actor=member)
    with pytest.raises(OwnerOnly):
        remove_member(shop=shop, user=shop.owner, actor=member)
    with pytest.raises(OwnerStays):
        remove_member(shop=shop, user=shop.owner, actor=shop.owner)
    assert not shop.members.filter(pk=other.pk).exists()
