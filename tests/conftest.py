import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import make_buyer, make_campaign, make_order, make_shop, past_deadline


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing takes ~0.3 s per user by design; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_in_line(request, settings):
    """Unit tests run background tasks in-line (Django's ImmediateBackend) once the transaction
    commits, so an e-mail lands in mail.outbox; tests marked `queue` keep the real database
    queue and run its worker themselves."""
    if "queue" not in request.keywords:
        settings.TASKS = {
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        }


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counts start at zero in every test, so no test runs into another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads, thumbnails and proofs of payment go to a temporary folder, never to var/;
    the public media folder is returned for tests that look at the stored files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def shop(db):
    return make_shop(name="Rajut Test", slug="rajut", currency="IDR")


@pytest.fixture
def coded_shop(shop):
    """The shop adds a unique code (kode unik) to every amount to transfer."""
    shop.unique_codes = True
    shop.save()
    return shop


@pytest.fixture
def seller(client, shop):
    """The test client, logged in as the shop's owner."""
    client.force_login(shop.owner)
    return client


@pytest.fixture
def open_campaign(shop):
    """Open now, two variants, capacity 10, note required."""
    return make_campaign(
        shop,
        slug="tote",
        title="Custom tote",
        capacity=10,
        min_quantity=5,
        note_prompt="Colour and name to print",
        note_required=True,
        variants=[
            {"name": "Green", "price": "150000"},
            {"name": "Navy", "price": "165000", "capacity": 4},
        ],
    )


@pytest.fixture
def overdue_order(open_campaign):
    """Sari's two Green totes; the deposit deadline passed a minute ago with nothing paid."""
    order = make_order(
        open_campaign, quantity=2, note="Green, “SARI”", buyer=make_buyer(1, name="Sari")
    )
    return past_deadline(order)


def pytest_collection_modifyitems(config, items):
    # Row-lock and real-concurrency tests need PostgreSQL; SQLite skips them (CI runs both).
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (CI runs the suite on it too)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
