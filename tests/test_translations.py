"""Both languages are complete: every user-facing string has its Indonesian translation, and
pages and emails speak the reader's language."""

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from campaigns.models import SellerSettings
from tests.support import page_text

BASE = Path(settings.BASE_DIR)
LOCALE = BASE / "locale"
# Where user-facing strings live; the tests and benchmarks have none.
SHIPPED = ["openpo", "kernel", "campaigns", "orders", "payments", "templates", "static", "locale"]


@pytest.fixture
def fresh_catalogue(tmp_path, settings, monkeypatch):
    """The committed Indonesian catalogue merged with every string the code marks today.

    makemessages writes into the project's own locale/, so it runs on a copy.
    """
    for folder in SHIPPED:
        shutil.copytree(BASE / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["id"], verbosity=0)
    with open(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po", "rb") as po:
        return read_po(po, locale="id")


def test_every_marked_string_has_an_indonesian_translation(fresh_catalogue):
    missing = [
        message.id
        for message in fresh_catalogue
        if message.id
        and (message.fuzzy or not all(message.string if message.pluralizable else [message.string]))
    ]
    assert not missing, f"{len(missing)} strings without an Indonesian translation: {missing}"


def test_translations_keep_every_placeholder(fresh_catalogue):
    errors = [(message.id, [str(e) for e in errs]) for message, errs in fresh_catalogue.check()]
    assert not errors, errors


def test_the_catalogue_holds_no_strings_the_code_no_longer_uses(fresh_catalogue):
    assert not fresh_catalogue.obsolete, list(fresh_catalogue.obsolete)


def test_translations_are_compiled_for_the_app():
    # `make` compiles them (Makefile, messages); a stale .mo would show old words.
    po, mo = LOCALE / "id/LC_MESSAGES/django.po", LOCALE / "id/LC_MESSAGES/django.mo"
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime
    with translation.override("id"):
        assert translation.gettext("Shop policy") == "Kebijakan toko"


@pytest.mark.django_db
def test_a_buyer_whose_browser_asks_for_indonesian_reads_the_campaign_in_indonesian(
    client, open_campaign
):
    response = client.get(open_campaign.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id,en;q=0.5")
    text = page_text(response)
    assert response.headers["Content-Language"] == "id"
    assert 'lang="id"' in response.content.decode()
    assert "Ketentuan PO" in text and "PO terms" not in text


@pytest.mark.django_db
def test_the_language_switch_changes_the_language_and_stays(client, open_campaign):
    url = open_campaign.get_absolute_url()
    response = client.post(reverse("set_language"), {"language": "id", "next": url})
    assert response.status_code == 302 and response.url == url
    # the browser asks for English, but the buyer chose Indonesian
    text = page_text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Ketentuan PO" in text

    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "PO terms" in page_text(client.get(url, HTTP_ACCEPT_LANGUAGE="id"))


# Words that read the same in every language.
UNTRANSLATED_WORDS = {"OpenPO"}
NOT_READ = [
    r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}",  # translated as a whole
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}",
    r"{#.*?#}",
    r"<!--.*?-->",
    r"<(script|style)\b.*?</\1>",
    r"{%.*?%}",  # {% translate "..." %} and the other tags
    r"{{.*?}}",
]
READ_ATTRIBUTES = r'\b(alt|title|placeholder|aria-label|label)="([^"]*)"'


def unmarked_words(source: str) -> list[str]:
    """Words a reader would see in a template that no {% translate %} covers."""
    for pattern in NOT_READ:
        source = re.sub(pattern, " ", source, flags=re.S)
    found = [value for _, value in re.findall(READ_ATTRIBUTES, source)]
    found.append(re.sub(r"<[^>]*>", " ", source))
    return [
        word
        for text in found
        for word in re.findall(r"\S*[A-Za-z]{2,}\S*", text)
        if word not in UNTRANSLATED_WORDS
    ]


@pytest.mark.parametrize(
    "template",
    sorted(
        str(path.relative_to(BASE / "templates"))
        for path in (BASE / "templates").rglob("*")
        if path.suffix in {".html", ".txt"} and "admin" not in path.parts
    ),
)
def test_templates_show_no_text_outside_translate_tags(template):
    assert not unmarked_words((BASE / "templates" / template).read_text()), template


def test_the_unmarked_text_check_sees_text_and_attributes():
    # the check itself: plain text and a readable attribute are caught, marked text is not
    assert sorted(unmarked_words('<p>Pay now</p><img alt="Cover">')) == ["Cover", "Pay", "now"]
    assert not unmarked_words('{% translate "Pay now" %}<img alt="{% translate "Cover" %}">')


@pytest.mark.django_db
def test_a_seller_s_language_follows_them_to_another_device(client, shop, django_user_model):
    # given the seller picks Indonesian on their phone
    client.force_login(shop.owner)
    home = reverse("dashboard:home", args=[shop.slug])
    client.post(reverse("set_language"), {"language": "id", "next": home})
    assert "Daftar PO" in page_text(client.get(home, HTTP_ACCEPT_LANGUAGE="en"))

    # when they log in on a laptop whose browser asks for English
    shop.owner.set_password("a long pass phrase")
    shop.owner.save()
    laptop = Client(HTTP_ACCEPT_LANGUAGE="en")
    laptop.post(
        reverse("login"), {"username": shop.owner.username, "password": "a long pass phrase"}
    )

    # then the dashboard is in Indonesian there too, until they switch back
    assert "Daftar PO" in page_text(laptop.get(home))
    laptop.post(reverse("set_language"), {"language": "en", "next": home})
    assert "Daftar PO" not in page_text(laptop.get(home))
    assert SellerSettings.objects.get(user=shop.owner).language == "en"
    # and someone else on the laptop after logging out gets the browser's language again
    laptop.post(reverse("logout"))
    laptop.cookies.pop("django_language")
    assert 'lang="en"' in laptop.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_buyer_s_language_switch_stays_in_their_browser(client, open_campaign):
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert not SellerSettings.objects.exists()
