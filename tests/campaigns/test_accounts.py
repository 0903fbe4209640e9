"""A seller's account: signing up with a shop, logging in and out, and the password."""

import re

import pytest
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from campaigns.exceptions import EmailTaken, ShopSlugTaken
from campaigns.models import Shop
from campaigns.services.shops import create_seller
from tests.factories import make_user
from tests.support import page_text

User = get_user_model()
SIGNUP = reverse("accounts:signup")
PASSWORD = "kain-rajut-2024!"


def signup_data(**changes) -> dict:
    data = {
        "username": "ani",
        "email": "ani@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "shop_name": "Rajutan Ani",
        "shop_slug": "rajutan-ani",
    }
    data.update(changes)
    return data


# Signing up


@pytest.mark.django_db
def test_signup_creates_the_seller_and_their_shop_and_lands_them_logged_in_on_its_dashboard(
    client,
):
    # when
    response = client.post(SIGNUP, signup_data())

    # then
    shop = Shop.objects.get(slug="rajutan-ani")
    seller = User.objects.get(username="ani")
    assert shop.name == "Rajutan Ani"
    assert shop.owner == seller
    assert list(shop.members.all()) == [seller]
    assert seller.email == "ani@example.com"
    assert seller.check_password(PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home", args=["rajutan-ani"])
    assert auth.get_user(client) == seller
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_signup_without_a_web_address_makes_one_from_the_shop_name(client):
    # when
    client.post(SIGNUP, signup_data(shop_name="Toko Batik Sari", shop_slug=""))

    # then
    assert Shop.objects.get(owner__username="ani").slug == "toko-batik-sari"


def test_a_made_up_web_address_skips_taken_and_reserved_ones(shop):
    # given a shop already at "rajut" (from the fixture)

    # when
    taken = create_seller(
        username="a", email="a@example.com", password=PASSWORD, shop_name="Rajut", shop_slug=""
    )
    reserved = create_seller(
        username="b", email="b@example.com", password=PASSWORD, shop_name="Admin", shop_slug=""
    )
    symbols = create_seller(
        username="c", email="c@example.com", password=PASSWORD, shop_name="★★★", shop_slug=""
    )

    # then
    assert taken.slug == "rajut-2"
    assert reserved.slug == "admin-2"
    assert symbols.slug == "shop"


@pytest.mark.django_db
def test_a_web_address_typed_in_capitals_is_stored_in_lower_case(client):
    # when
    client.post(SIGNUP, signup_data(shop_slug="Rajutan-Ani"))

    # then
    assert Shop.objects.get(owner__username="ani").slug == "rajutan-ani"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "Taken"}, "username", "A user with that username already exists."),
        ({"shop_slug": "rajut"}, "shop_slug", "Another shop uses that web address"),
        ({"shop_slug": "RAJUT"}, "shop_slug", "Another shop uses that web address"),
        ({"shop_slug": "dashboard"}, "shop_slug", "“dashboard” is reserved; choose another."),
        ({"shop_slug": "Accounts"}, "shop_slug", "“accounts” is reserved; choose another."),
        ({"shop_slug": "toko ani!"}, "shop_slug", "Enter a valid “slug”"),
        ({"email": "TAKEN@example.com"}, "email", "An OpenPO account already uses that email"),
        ({"password2": "something-else-9"}, "password2", "The two password fields didn’t match."),
        ({"password1": "12345678", "password2": "12345678"}, "password2", "too common"),
        ({"shop_name": ""}, "shop_name", "This field is required."),
    ],
)
def test_signup_refused_shows_the_reason_on_its_field_and_creates_nothing(
    client, shop, changes, field, message
):
    # given an account "taken" and the shop at "rajut"
    make_user(username="taken", email="taken@example.com")
    users_before, shops_before = User.objects.count(), Shop.objects.count()

    # when
    response = client.post(SIGNUP, signup_data(**changes))

    # then
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message in page_text(response)
    assert User.objects.count() == users_before
    assert Shop.objects.count() == shops_before
    assert not auth.get_user(client).is_authenticated


def test_the_service_refuses_a_taken_address_or_email_even_without_the_form(shop):
    # given
    make_user(username="taken", email="taken@example.com")

    # when / then
    with pytest.raises(ShopSlugTaken):
        create_seller(
            username="x", email="x@example.com", password=PASSWORD, shop_name="X", shop_slug="rajut"
        )
    with pytest.raises(EmailTaken):
        create_seller(
            username="y", email="Taken@Example.com", password=PASSWORD, shop_name="Y", shop_slug=""
        )
    assert not User.objects.filter(username__in=["x", "y"]).exists()


@pytest.mark.django_db
def test_signup_page_labels_every_input_and_links_to_log_in(client):
    # when
    response = client.get(SIGNUP)

    # then
    text = response.content.decode()
    for name in ["username", "email", "password1", "password2", "shop_name", "shop_slug"]:
        assert f'<label for="id_{name}">' in text
    assert reverse("login") in text


def test_a_logged_in_seller_who_opens_signup_goes_to_their_dashboard(client, shop):
    # given
    client.force_login(shop.owner)

    # when
    response = client.get(SIGNUP)

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:pick_shop")


# Logging in and out


@pytest.mark.django_db
def test_home_page_links_to_log_in_and_sign_up(client):
    text = client.get("/").content.decode()
    assert reverse("login") in text
    assert SIGNUP in text


@pytest.mark.django_db
def test_login_page_links_to_sign_up_and_password_reset(client):
    text = client.get(reverse("login")).content.decode()
    assert SIGNUP in text
    assert reverse("password_reset") in text
    assert '<label for="id_username">' in text
    assert '<label for="id_password">' in text


def test_logging_in_takes_a_one_shop_seller_to_that_shops_dashboard(client, shop):
    # when
    response = client.post(
        reverse("login"),
        {"username": shop.owner.username, "password": "pw-for-tests-only"},
        follow=True,
    )

    # then
    assert auth.get_user(client) == shop.owner
    assert response.redirect_chain[-1][0] == reverse("dashboard:home", args=[shop.slug])


def test_logging_in_returns_to_the_page_that_asked_for_it(client, shop):
    # given
    settings_url = reverse("dashboard:shop_settings", args=[shop.slug])

    # when
    response = client.post(
        f"{reverse('login')}?next={settings_url}",
        {"username": shop.owner.username, "password": "pw-for-tests-only", "next": settings_url},
    )

    # then
    assert response["Location"] == settings_url


def test_a_wrong_password_keeps_the_seller_out_with_a_message(client, shop):
    # when
    response = client.post(
        reverse("login"), {"username": shop.owner.username, "password": "not-my-password"}
    )

    # then
    assert response.status_code == 200
    assert "Please enter a correct username and password" in page_text(response)
    assert not auth.get_user(client).is_authenticated


def test_logging_out_by_post_ends_the_session_and_returns_to_log_in(client, shop):
    # given
    client.force_login(shop.owner)

    # when
    response = client.post(reverse("logout"))

    # then
    assert response["Location"] == reverse("login")
    assert not auth.get_user(client).is_authenticated


def test_logging_out_is_never_a_link_a_page_could_follow(client, shop):
    # given
    client.force_login(shop.owner)

    # when
    response = client.get(reverse("logout"))

    # then
    assert response.status_code == 405
    assert auth.get_user(client) == shop.owner


# Passwords


def test_a_seller_changes_their_password(client, shop):
    # given
    client.force_login(shop.owner)

    # when
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests-only",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
        follow=True,
    )

    # then
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Password changed" in page_text(response)
    shop.owner.refresh_from_db()
    assert shop.owner.check_password(PASSWORD)
    assert auth.get_user(client) == shop.owner  # still logged in


def test_a_wrong_old_password_changes_nothing(client, shop):
    # given
    client.force_login(shop.owner)

    # when
    response = client.post(
        reverse("password_change"),
        {"old_password": "guess", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )

    # then
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in page_text(response)
    shop.owner.refresh_from_db()
    assert shop.owner.check_password("pw-for-tests-only")


def test_password_change_needs_a_login(client, db):
    response = client.get(reverse("password_change"))
    assert response["Location"].startswith(reverse("login"))


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    client, shop, django_capture_on_commit_callbacks
):
    # given
    owner = shop.owner

    # when the seller asks for a reset
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": owner.email.upper()})

    # then an email with a link arrives
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [owner.email]
    assert email.subject == "Reset your OpenPO password"
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", email.body).group(1)

    # when they open it and choose a new password
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in page_text(form_page)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )

    # then the new password works and the link is spent
    assert "Password saved" in page_text(done)
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    login = client.post(reverse("login"), {"username": owner.username, "password": PASSWORD})
    assert login.status_code == 302
    client.logout()
    assert "This link no longer works" in page_text(client.get(link, follow=True))


def test_a_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client, db):
    # when
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    # then nobody learns whether the email has an account
    assert "Check your email" in page_text(response)
    assert mail.outbox == []
