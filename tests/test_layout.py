"""The house plan (README, Layout; DESIGN.md, Apps and what each owns), held by reading the code.

- The kernel imports no app.
- The domain points one way, kernel ← campaigns ← orders ← payments: a module that is not a face
  never imports a higher app, nor any app's faces.
- The faces (views, forms, admin, URLconfs, template tags, management commands) sit on top and
  may use any app.
- Every app has the same rooms, so a file's path follows from its role.

Imports are read with `ast`, inside functions too, and so are the other ways one app can lean on
another: `apps.get_model("orders", ...)` and a relation to `"orders.Order"` written as a string.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
KERNEL = "kernel"
# Lowest first: each app may lean on the ones before it.
DOMAIN_ORDER = ("campaigns", "orders", "payments")
# `openpo` holds the settings and the root URLconf, a face over every app.
PROJECT = "openpo"
OURS = (KERNEL, *DOMAIN_ORDER, PROJECT)
FACE_PARTS = frozenset({"views", "forms", "admin", "urls", "templatetags", "management"})
RELATIONS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})

# The rooms every app may have, and the few extra rooms an app keeps by name.
ROOMS = frozenset(
    {
        "__init__.py",
        "apps.py",
        "models.py",
        "models",
        "services.py",
        "services",
        "selectors.py",
        "views",
        "forms",
        "admin.py",
        "urls.py",
        "emails.py",
        "exceptions.py",
        "management",
        "migrations",
    }
)
EXTRA_ROOMS = {
    "orders": {"chat.py", "tally.py"},  # WhatsApp texts; running totals (migration 0007 imports it)
    "payments": {"storage.py"},  # where proofs are kept (migrations name it)
}


@dataclass(frozen=True)
class Lean:
    """One module leaning on another app: where, and on what."""

    module: str
    line: int
    target: str  # a dotted module name, or just the app's label


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_face(module: str) -> bool:
    return module.split(".")[0] == PROJECT or bool(FACE_PARTS & set(module.split(".")[1:]))


def leans(module: str, source: str) -> list[Lean]:
    """Every import, model lookup and string relation of `source` that names one of our apps."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if name == "get_model":
                    targets = [first.value]
                elif name in RELATIONS and "." in first.value:
                    targets = [first.value.split(".")[0]]
        found += [
            Lean(module, node.lineno, target) for target in targets if target.split(".")[0] in OURS
        ]
    return found


def broken_rule(lean: Lean) -> str | None:
    """Why this lean breaks the house plan, or None when it is allowed."""
    home = lean.module.split(".")[0]
    app = lean.target.split(".")[0]
    if home == KERNEL:
        return None if app == KERNEL else "the kernel imports no app"
    if is_face(lean.module) or app == KERNEL:
        return None
    if app == PROJECT:
        return "the domain never imports the project's settings or URLconf"
    if DOMAIN_ORDER.index(app) > DOMAIN_ORDER.index(home):
        return f"{home} is below {app}: the domain points kernel ← campaigns ← orders ← payments"
    if is_face(lean.target):
        return "the domain never imports a view, form, admin, URLconf or command"
    return None


def our_modules():
    for package in OURS:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield module_name(path), path.read_text()


def test_no_module_leans_the_wrong_way():
    breaks = [
        f"{lean.module}:{lean.line} → {lean.target}: {why}"
        for module, source in our_modules()
        for lean in leans(module, source)
        if (why := broken_rule(lean))
    ]
    assert breaks == []


@pytest.mark.parametrize(
    ("module", "source", "why"),
    [
        ("kernel.money", "from campaigns.models import Shop", "the kernel imports no app"),
        ("kernel.mail", "def f():\n    import orders.emails", "the kernel imports no app"),
        ("campaigns.services.shops", "from orders.models import Order", "campaigns is below"),
        ("orders.models", "from payments.services import ledger", "orders is below"),
        ("orders.selectors", "apps.get_model('payments', 'Payment')", "orders is below"),
        ("campaigns.models.shops", "models.ForeignKey('orders.Order')", "campaigns is below"),
        ("orders.services.placing", "from orders.forms.public import OrderForm", "never imports"),
        ("payments.selectors", "from openpo.urls import urlpatterns", "never imports the project"),
    ],
)
def test_the_rule_catches_each_kind_of_break(module, source, why):
    # given a module written against the plan; when it is read; then the break is named
    reasons = [broken_rule(lean) for lean in leans(module, source)]
    assert any(reason and why in reason for reason in reasons), reasons


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("payments.services.decisions", "from orders.services.transitions import move_order"),
        ("orders.models", "from kernel.money import MONEY"),
        ("campaigns.views.public", "from orders.services.placing import place_order"),
        ("orders.admin", "from payments.services.cancellations import cancel_order"),
        ("campaigns.management.commands.seed_demo", "from payments.models import PaymentAccount"),
        ("openpo.urls", "from payments.urls import buyer_patterns"),
    ],
)
def test_the_rule_lets_the_domain_lean_down_and_the_faces_use_any_app(module, source):
    assert [broken_rule(lean) for lean in leans(module, source)] == [None]


@pytest.mark.parametrize("app", DOMAIN_ORDER)
def test_every_app_has_the_same_rooms(app):
    rooms = {path.name for path in (ROOT / app).iterdir() if path.name != "__pycache__"}
    assert rooms - ROOMS - EXTRA_ROOMS.get(app, set()) == set()


@pytest.mark.parametrize("app", DOMAIN_ORDER)
def test_views_and_forms_are_packages_with_a_module_per_screen(app):
    for room in ("views", "forms"):
        assert (ROOT / app / room / "__init__.py").exists()
        assert not list((ROOT / app).glob(f"{room}_*.py"))
