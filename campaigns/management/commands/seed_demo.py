"""`manage.py seed_demo`: a demo shop with a campaign in each phase of its life.

Open, upcoming and closed (minimum reached); in production; collecting balances (some paid);
shipping (some orders out, with tracking numbers); completed; failed (refunds to send, and sent).
Idempotent: when the demo shop exists it changes nothing and prints the logins again.
Everything goes through the real services, with orders placed in the past (`now=`), so counters,
amounts, ledgers and timelines are what buyers and the seller would have made.
"""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from campaigns.models import Campaign, Shop
from campaigns.services.photos import add_campaign_image
from campaigns.services.vendors import add_quote, choose_quote, save_vendor
from kernel.phones import to_e164
from orders.services.fulfilment import complete_order, mark_shipped
from orders.services.placing import Buyer, LineRequest, place_order
from payments.models import PaymentAccount
from payments.services.decisions import fail_campaign, finish_production, start_production
from payments.services.ledger import amount_paid, payment_due
from payments.services.payments import submit_payment, verify_payment
from payments.services.refunds import mark_refund_sent
from payments.services.statements import (
    confirm_statement,
    preview_statement,
    upload_statement,
)

SHOP_SLUG = "demo"
SELLER = ("demo", "demo-openpo-2026")
STAFF = ("admin", "admin-openpo-2026")
BUYERS = [
    ("Ayu Lestari", "0812-1111-2001", "Jl. Kenanga 12, Bandung"),
    ("Budi Santoso", "0813 2222 3002", "Jl. Melati 4, Surabaya"),
    ("Citra Dewi", "+62 815-3333-4003", "Jl. Anggrek 9, Yogyakarta"),
    ("Dimas Pratama", "6281744445004", "Jl. Mawar 21, Jakarta Selatan"),
    ("Eka Putri", "0818 5555 6005", "Jl. Flamboyan 3, Medan"),
    ("Fajar Nugroho", "0819-6666-7006", "Jl. Cempaka 17, Semarang"),
    ("Gita Maharani", "0821 7777 8007", "Jl. Dahlia 8, Makassar"),
    ("Hendra Wijaya", "0822-8888-9008", "Jl. Teratai 30, Denpasar"),
]


class Command(BaseCommand):
    help = "Create the demo shop, campaigns, orders and logins (safe to run again)."

    def handle(self, *args, **options):
        if Shop.objects.filter(slug=SHOP_SLUG).exists():
            self.stdout.write("Demo data is already there.")
        else:
            with transaction.atomic():
                self.seed(timezone.now())
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.stdout.write(f"Demo seller login: {SELLER[0]} / {SELLER[1]}")
        self.stdout.write(f"Staff (admin) login: {STAFF[0]} / {STAFF[1]}")

    def seed(self, now):
        users = get_user_model().objects
        seller = users.create_user(SELLER[0], "demo@openpo.test", SELLER[1])
        users.create_superuser(STAFF[0], "admin@openpo.test", STAFF[1])
        shop = Shop.objects.create(
            name="Rajut Nusantara",
            slug=SHOP_SLUG,
            owner=seller,
            whatsapp="+6281234567890",
            policy="DP is not refundable once production starts. If a PO does not reach its "
            "minimum, every payment is refunded in full within 3 working days.",
        )
        shop.members.add(seller)
        PaymentAccount.objects.create(
            shop=shop, provider="BCA", number="1234567890", holder="Rajut Nusantara"
        )
        PaymentAccount.objects.create(
            shop=shop,
            kind=PaymentAccount.Kind.EWALLET,
            provider="GoPay",
            number="081234567890",
            holder="Sari Rahayu",
        )

        tote = self.campaign(
            shop,
            slug="custom-name-tote",
            title="Custom name tote bag",
            description="Hand-knitted cotton tote with your name embroidered on the front. "
            "Fits a 14-inch laptop.",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=9),
            min_quantity=30,
            capacity=120,
            max_per_buyer=5,
            production_days=21,
            note_prompt="Colour of the name and the name to print",
            note_required=True,
            variants=[
                ("Sage green", 150_000, None),
                ("Cream", 150_000, None),
                ("Navy", 165_000, 30),
            ],
            colours=["#8fae8b", "#efe6d2", "#27385c"],
        )
        self.orders(
            tote,
            now - timedelta(hours=20),
            confirm=5,
            review=1,
            notes=["White, “AYU”", "Gold, “Budi & Sinta”"],
        )
        knitters = save_vendor(shop=shop, name="Rajut Ibu Sari", contact="0812 9876 5432")
        add_quote(
            campaign=tote,
            vendor=knitters,
            unit_cost=Decimal(85_000),
            lead_time_days=21,
            vendor_minimum=24,
        )
        quote = add_quote(
            campaign=tote,
            vendor=save_vendor(shop=shop, name="Konveksi Bandung", contact="konveksi@example.com"),
            unit_cost=Decimal(70_000),
            lead_time_days=28,
            vendor_minimum=50,
        )
        choose_quote(campaign=tote, quote=quote)

        self.campaign(
            shop,
            slug="batik-hoodie-batch-2",
            title="Batik hoodie, batch 2",
            description="Fleece hoodie with a hand-stamped batik panel. Batch 1 sold out in a day.",
            opens_at=now + timedelta(days=5),
            closes_at=now + timedelta(days=19),
            min_quantity=20,
            capacity=None,
            production_days=30,
            deposit_rule=Campaign.DepositRule.FIXED,
            deposit_value=Decimal(100_000),
            note_prompt="Optional: a name for the inside label",
            variants=[
                ("S", 325_000, None),
                ("M", 325_000, None),
                ("L", 325_000, None),
                ("XL", 345_000, None),
            ],
            colours=["#6b3e26", "#c9a227"],
        )

        pins = self.campaign(
            shop,
            slug="enamel-pin-set",
            title="Enamel pin set: Nusantara fauna",
            description="Five hard-enamel pins: komodo, orangutan, cendrawasih, anoa and tarsier.",
            opens_at=now - timedelta(days=20),
            closes_at=now - timedelta(days=3),
            min_quantity=10,
            capacity=50,
            production_days=14,
            deposit_rule=Campaign.DepositRule.FULL,
            variants=[("Set of 5", 85_000, None)],
            colours=["#d9480f"],
        )
        self.orders(pins, now - timedelta(days=15), confirm=len(BUYERS), review=0, notes=[""])
        self.later_phases(shop, now)

    def later_phases(self, shop, now):
        """Campaigns past their window, each taken as far as its phase by the seller's
        decisions: production, balances, shipping, completion, and one that failed."""
        seller = shop.owner

        def closed_campaign(slug, title, description, *, days_ago, colour, **fields):
            fields.setdefault("min_quantity", 6)
            fields.setdefault("production_days", 14)
            return self.campaign(
                shop,
                slug=slug,
                title=title,
                description=description,
                opens_at=now - timedelta(days=days_ago + 14),
                closes_at=now - timedelta(days=days_ago),
                variants=[("Standard", fields.pop("price"), None)],
                colours=[colour],
                **fields,
            )

        stand = closed_campaign(
            "teak-phone-stand",
            "Teak phone stand",
            "Carved from offcuts of a Jepara furniture workshop.",
            days_ago=6,
            colour="#8a5a2b",
            price=95_000,
        )
        self.orders(stand, stand.opens_at + timedelta(days=1), confirm=5, buyers=5)
        start_production(campaign=stand, actor=seller, now=now)

        cap = closed_campaign(
            "embroidered-cap",
            "Embroidered cap",
            "Cotton twill cap with a hand-embroidered Garuda.",
            days_ago=25,
            colour="#1f6f5c",
            price=120_000,
        )
        self.orders(cap, cap.opens_at + timedelta(days=1), confirm=6, buyers=6)
        start_production(campaign=cap, actor=seller, now=now)
        finish_production(campaign=cap, actor=seller, now=now)
        for order in cap.orders.order_by("created_at")[:3]:
            self.pay(order, seller)
        self.statement(shop, cap.orders.order_by("created_at")[3], now)

        # Paid in full up front: production's end leaves every order paid, ready to ship.
        scarf = closed_campaign(
            "batik-scarf",
            "Batik tulis silk scarf",
            "Hand-drawn batik from Pekalongan, 90 × 90 cm.",
            days_ago=30,
            colour="#7b2d43",
            price=280_000,
            deposit_rule=Campaign.DepositRule.FULL,
        )
        self.orders(scarf, scarf.opens_at + timedelta(days=1), confirm=6, buyers=6)
        start_production(campaign=scarf, actor=seller, now=now)
        finish_production(campaign=scarf, actor=seller, now=now)
        for n, order in enumerate(scarf.orders.order_by("created_at")[:3]):
            mark_shipped(
                order=order, carrier="JNE", tracking_number=f"JNE00{4410 + n}7720", actor=seller
            )

        mug = closed_campaign(
            "ceramic-mug",
            "Ceramic mug, speckled glaze",
            "Thrown by hand in Kasongan; each one a little different.",
            days_ago=60,
            colour="#a3a380",
            price=75_000,
            min_quantity=4,
            deposit_rule=Campaign.DepositRule.FULL,
        )
        self.orders(mug, mug.opens_at + timedelta(days=1), confirm=4, buyers=4)
        start_production(campaign=mug, actor=seller, now=now)
        finish_production(campaign=mug, actor=seller, now=now)
        for n, order in enumerate(mug.orders.order_by("created_at")):
            mark_shipped(
                order=order, carrier="SiCepat", tracking_number=f"SCP55{n}01882", actor=seller
            )
            complete_order(order=order, actor=seller)

        notebook = closed_campaign(
            "leather-notebook",
            "Leather notebook with initials",
            "Vegetable-tanned cover from Garut, refillable A5 paper.",
            days_ago=4,
            colour="#5c4033",
            price=210_000,
            min_quantity=30,
            note_prompt="Initials to stamp (up to 3 letters)",
        )
        self.orders(
            notebook, notebook.opens_at + timedelta(days=1), confirm=4, buyers=5, notes=["S.R."]
        )
        stopped = fail_campaign(
            campaign=notebook,
            actor=seller,
            reason="The minimum of 30 notebooks was not reached; every payment is refunded.",
        )
        for n, refund in enumerate(stopped.refunds[:2]):
            mark_refund_sent(refund=refund, reference=f"BCA-RF-2026{n:04d}", actor=seller)

    def statement(self, shop, order, now):
        """The seller imports the BCA mutasi: one buyer's balance transfer names its order and
        is credited; a cash deposit pays no order and waits to be matched or dismissed."""
        due = payment_due(order, paid=amount_paid(order))
        day = timezone.localdate(now)
        rows = [
            "No. rekening : ,'1234567890",
            "Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo",
            f"'{day:%d/%m/%Y},TRSF E-BANKING CR {day:%d%m}/FTSCY/WS95051 PELUNASAN {order.code} "
            f"{order.buyer_name.upper()},'0000,{due.to_send:.2f},CR,2060000.00",
            f"'{day:%d/%m/%Y},SETORAN TUNAI,'0998,50000.00,CR,2110000.00",
            f"'{day:%d/%m/%Y},TRSF E-BANKING DB KONVEKSI BANDUNG,'0000,500000.00,DB,1610000.00",
            "Saldo Akhir,:,1610000.00",
        ]
        upload = SimpleUploadedFile("mutasi-bca.csv", "\r\n".join(rows).encode(), "text/csv")
        statement = upload_statement(
            shop=shop,
            layout="bca",
            upload=upload,
            account=shop.payment_accounts.get(provider="BCA"),
            actor=shop.owner,
        )
        preview = preview_statement(statement=statement)
        confirm_statement(statement=statement, digest=preview.digest, actor=shop.owner)

    def pay(self, order, seller):
        """The buyer pays what the order waits for now, and the seller verifies it."""
        due = payment_due(order, paid=amount_paid(order))
        payment = submit_payment(
            order=order,
            amount=due.to_send,
            sender_name=order.buyer_name,
            sender_bank="BCA",
            proof_upload=proof(order.code),
        )
        verify_payment(payment=payment, amount_received=payment.amount, actor=seller)

    def campaign(self, shop, *, variants, colours, **fields):
        campaign = Campaign.objects.create(shop=shop, status=Campaign.Status.PUBLISHED, **fields)
        for position, (name, price, capacity) in enumerate(variants):
            campaign.variants.create(
                name=name, price=Decimal(price), capacity=capacity, position=position
            )
        for colour in colours:
            add_campaign_image(
                campaign=campaign, upload=picture(campaign.title, colour), alt=campaign.title
            )
        return campaign

    def orders(self, campaign, placed_at, *, confirm, review=0, notes=("",), buyers=None):
        """Place one order per demo buyer (the first `buyers`, all by default); the first
        `confirm` pay their deposit and the seller verifies it, the next `review` have a payment
        waiting for review."""
        seller = campaign.shop.owner
        variants = list(campaign.variants.all())
        for i, (name, phone, address) in enumerate(BUYERS[: buyers or len(BUYERS)]):
            variant = variants[i % len(variants)]
            order = place_order(
                campaign=campaign,
                lines=[LineRequest(variant.pk, 1 + i % 3, notes[i % len(notes)])],
                buyer=Buyer(name, to_e164(phone), f"buyer{i}@example.com", address),
                idempotency_key=f"demo-{campaign.slug}-{i}",
                now=placed_at + timedelta(hours=i * 2),
            )
            if i < confirm + review:
                payment = submit_payment(
                    order=order,
                    amount=order.deposit_amount + order.transfer_code,
                    sender_name=name,
                    sender_bank="BCA",
                    proof_upload=proof(order.code),
                )
            if i < confirm:
                verify_payment(payment=payment, amount_received=payment.amount, actor=seller)


def picture(title: str, colour: str) -> SimpleUploadedFile:
    """A plain product card drawn with Pillow, so the demo needs no files from anywhere."""
    image = Image.new("RGB", (800, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((167, 253, 633, 700), radius=40, outline="white", width=16)
    draw.arc((280, 120, 520, 373), start=180, end=360, fill="white", width=16)
    draw.text((400, 477), title, fill="white", anchor="mm", font=ImageFont.load_default(size=38))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png")


def proof(code: str) -> SimpleUploadedFile:
    """A small "screenshot" of a transfer: the seed sends dozens, and encoding is its cost."""
    image = Image.new("RGB", (240, 400), "#64748b")
    ImageDraw.Draw(image).text((120, 200), f"Transfer {code}", fill="white", anchor="mm")
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("proof.png", buffer.getvalue(), content_type="image/png")
