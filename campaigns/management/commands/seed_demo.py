"""`manage.py seed_demo`: a demo shop with a campaign in each phase of its life.

Open, upcoming and closed (minimum reached); in production; collecting balances (some paid);
shipping (some orders out, with tracking numbers); completed; failed (refunds to send, and sent).
Idempotent: when the demo shop exists it changes nothing and prints the logins again.
Everything goes through the real services, each step at the moment it would have happened
(`happening_at`), so counters, amounts, ledgers and timelines are what buyers and the seller
would have made, dated as they would have been. The shop is Indonesian, so its words are too.
"""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation
from PIL import Image, ImageDraw, ImageFont

from campaigns.models import Campaign, PickupPoint, Role, ShippingRule, ShippingZone, Shop
from campaigns.services.photos import add_campaign_image
from campaigns.services.vendors import add_quote, choose_quote, save_vendor
from kernel import vault
from kernel.phones import to_e164
from kernel.regions import provinces
from orders.services.fulfilment import complete_order, mark_shipped
from orders.services.placing import Buyer, LineRequest, place_order
from payments.models import GatewayConnection, PaymentAccount, Provider
from payments.services.decisions import fail_campaign, finish_production, start_production
from payments.services.gateways.connections import connect_gateway
from payments.services.ledger import amount_paid, payment_due
from payments.services.payments import submit_payment, verify_payment
from payments.services.refunds import mark_refund_sent
from payments.services.statements import (
    confirm_statement,
    preview_statement,
    upload_statement,
)

SHOP_SLUG = "demo"
LANGUAGE = "id"
SELLER = ("demo", "demo-openpo-2026")
STAFF = ("admin", "admin-openpo-2026")
# The provinces of Java (kernel.regions), one ongkir zone of the demo shop.
JAVA = ["31", "32", "33", "34", "35", "36"]
DEMO_WEIGHT = 350  # grams, packed

BUYERS = [
    ("Ayu Lestari", "0812-1111-2001", "Jl. Kenanga 12, Bandung", "3273"),
    ("Budi Santoso", "0813 2222 3002", "Jl. Melati 4, Surabaya", "3578"),
    ("Citra Dewi", "+62 815-3333-4003", "Jl. Anggrek 9, Yogyakarta", "3471"),
    ("Dimas Pratama", "6281744445004", "Jl. Mawar 21, Jakarta Selatan", "3171"),
    ("Eka Putri", "0818 5555 6005", "Jl. Flamboyan 3, Medan", "1275"),
    ("Fajar Nugroho", "0819-6666-7006", "Jl. Cempaka 17, Semarang", "3374"),
    ("Gita Maharani", "0821 7777 8007", "Jl. Dahlia 8, Makassar", "7371"),
    ("Hendra Wijaya", "0822-8888-9008", "Jl. Teratai 30, Denpasar", "5171"),
]


class Command(BaseCommand):
    help = "Create the demo shop, campaigns, orders and logins (safe to run again)."

    def handle(self, *args, **options):
        if Shop.objects.filter(slug=SHOP_SLUG).exists():
            self.stdout.write("Demo data is already there.")
        else:
            # What the services write for the seller (campaign timelines) is in the shop's
            # language; what they write for buyers follows each order's.
            with transaction.atomic(), translation.override(LANGUAGE):
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
            contact_email="halo@rajutnusantara.test",
            shipping_rule=ShippingRule.ZONES,
            policy="DP tidak bisa dikembalikan setelah produksi dimulai. Kalau kuota minimum PO "
            "tidak tercapai, semua pembayaran dikembalikan penuh dalam 3 hari kerja.",
        )
        shop.members.add(seller, through_defaults={"role": Role.OWNER})
        # Ongkir by destination and weight, as most Indonesian POs charge it, and a pickup.
        ShippingZone.objects.create(
            shop=shop, name="Jawa", regions=JAVA, fee=Decimal(12000), fee_per_kg=Decimal(4000)
        )
        ShippingZone.objects.create(
            shop=shop,
            name="Luar Jawa",
            regions=[p.code for p in provinces() if p.code not in JAVA],
            fee=Decimal(25000),
            fee_per_kg=Decimal(9000),
        )
        PickupPoint.objects.create(
            shop=shop, name="Workshop Rajut", details="Jl. Braga 5, Bandung · Sabtu 10.00–14.00"
        )
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
        if settings.FAKE_GATEWAY and vault.is_available():
            # "Pay now" on every order page, through the in-app fake gateway: QRIS, virtual
            # account or GoPay end to end on one machine, a 0.7 % fee passed on to show fees.
            connect_gateway(
                shop=shop,
                provider=Provider.FAKE,
                mode=GatewayConnection.Mode.SANDBOX,
                secret_key="demo-fake-gateway-key",  # noqa: S106 (signs the demo only)
                callback_token="",
                fee_percent=Decimal("0.7"),
                fee_fixed=Decimal(0),
                is_active=True,
            )

        tote = self.campaign(
            shop,
            slug="custom-name-tote",
            title="Tas tote rajut bordir nama",
            description="Tas tote katun rajutan tangan, dengan namamu dibordir di depan. "
            "Muat laptop 14 inci.",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=9),
            min_quantity=30,
            capacity=120,
            max_per_buyer=5,
            production_days=21,
            note_prompt="Warna benang dan nama yang dibordir",
            note_required=True,
            variants=[
                ("Hijau sage", 150_000, None),
                ("Krem", 150_000, None),
                ("Navy", 165_000, 30),
            ],
            colours=["#8fae8b", "#efe6d2", "#27385c"],
        )
        self.orders(
            tote,
            now - timedelta(hours=20),
            confirm=5,
            review=1,
            notes=["Putih, “AYU”", "Emas, “Budi & Sinta”"],
        )
        with happening_at(now - timedelta(days=2)):
            self.quotes(shop, tote)

        self.campaign(
            shop,
            slug="batik-hoodie-batch-2",
            title="Hoodie batik, batch 2",
            description="Hoodie fleece dengan panel batik cap. Batch 1 habis dalam sehari.",
            opens_at=now + timedelta(days=5),
            closes_at=now + timedelta(days=19),
            min_quantity=20,
            capacity=None,
            production_days=30,
            deposit_rule=Campaign.DepositRule.FIXED,
            deposit_value=Decimal(100_000),
            note_prompt="Boleh diisi: nama untuk label dalam",
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
            title="Set pin enamel: fauna Nusantara",
            description="Lima pin hard enamel: komodo, orangutan, cendrawasih, anoa dan tarsius.",
            opens_at=now - timedelta(days=20),
            closes_at=now - timedelta(days=3),
            min_quantity=10,
            capacity=50,
            production_days=14,
            deposit_rule=Campaign.DepositRule.FULL,
            variants=[("Set isi 5", 85_000, None)],
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
            "Dudukan HP kayu jati",
            "Diukir dari sisa kayu bengkel mebel Jepara.",
            days_ago=6,
            colour="#8a5a2b",
            price=95_000,
        )
        self.orders(stand, stand.opens_at + timedelta(days=1), confirm=5, buyers=5)
        self.start(stand, stand.closes_at + timedelta(days=1))

        # Production took a week longer than the 2 weeks estimated; balances are due soon.
        cap = closed_campaign(
            "embroidered-cap",
            "Topi bordir",
            "Topi katun twill dengan Garuda bordir tangan.",
            days_ago=25,
            colour="#1f6f5c",
            price=120_000,
        )
        self.orders(cap, cap.opens_at + timedelta(days=1), confirm=6, buyers=6)
        started = self.start(cap, cap.closes_at + timedelta(days=1))
        self.finish(cap, started + timedelta(days=21))
        for n, order in enumerate(cap.orders.order_by("created_at")[:3]):
            with happening_at(now - timedelta(days=2) + timedelta(hours=5 * n)):
                self.pay(order, seller)
        with happening_at(now - timedelta(days=1)):
            self.statement(shop, cap.orders.order_by("created_at")[3], now - timedelta(days=1))

        # Paid in full up front: production's end leaves every order paid, ready to ship.
        scarf = closed_campaign(
            "batik-scarf",
            "Syal sutra batik tulis",
            "Batik tulis dari Pekalongan, 90 × 90 cm.",
            days_ago=30,
            colour="#7b2d43",
            price=280_000,
            deposit_rule=Campaign.DepositRule.FULL,
        )
        self.orders(scarf, scarf.opens_at + timedelta(days=1), confirm=6, buyers=6)
        started = self.start(scarf, scarf.closes_at + timedelta(days=1))
        finished = self.finish(scarf, started + timedelta(days=14))
        for n, order in enumerate(scarf.orders.order_by("created_at")[:3]):
            with happening_at(finished + timedelta(days=2, hours=n)):
                mark_shipped(
                    order=order,
                    carrier="JNE",
                    tracking_number=f"JNE00{4410 + n}7720",
                    actor=seller,
                )

        mug = closed_campaign(
            "ceramic-mug",
            "Mug keramik, glasir bintik",
            "Dibuat tangan di Kasongan; tiap mug sedikit berbeda.",
            days_ago=60,
            colour="#a3a380",
            price=75_000,
            min_quantity=4,
            deposit_rule=Campaign.DepositRule.FULL,
        )
        self.orders(mug, mug.opens_at + timedelta(days=1), confirm=4, buyers=4)
        started = self.start(mug, mug.closes_at + timedelta(days=1))
        finished = self.finish(mug, started + timedelta(days=14))
        for n, order in enumerate(mug.orders.order_by("created_at")):
            with happening_at(finished + timedelta(days=1, hours=n)):
                mark_shipped(
                    order=order, carrier="SiCepat", tracking_number=f"SCP55{n}01882", actor=seller
                )
            with happening_at(finished + timedelta(days=4, hours=n)):
                complete_order(order=order, actor=seller)

        notebook = closed_campaign(
            "leather-notebook",
            "Buku catatan kulit dengan inisial",
            "Sampul kulit samak nabati dari Garut, kertas A5 bisa diganti.",
            days_ago=4,
            colour="#5c4033",
            price=210_000,
            min_quantity=30,
            note_prompt="Inisial yang dicap (paling banyak 3 huruf)",
        )
        self.orders(
            notebook, notebook.opens_at + timedelta(days=1), confirm=4, buyers=5, notes=["S.R."]
        )
        with happening_at(notebook.closes_at + timedelta(days=1)):
            stopped = fail_campaign(
                campaign=notebook,
                actor=seller,
                reason="Kuota minimum 30 buku tidak tercapai; semua pembayaran dikembalikan.",
            )
        for n, refund in enumerate(stopped.refunds[:2]):
            with happening_at(notebook.closes_at + timedelta(days=2, hours=n)):
                mark_refund_sent(refund=refund, reference=f"BCA-RF-2026{n:04d}", actor=seller)

    def start(self, campaign, moment):
        """The seller starts production at `moment`; returns it."""
        with happening_at(moment):
            start_production(campaign=campaign, actor=campaign.shop.owner, now=moment)
        return moment

    def finish(self, campaign, moment):
        """Production finishes at `moment`; returns it."""
        with happening_at(moment):
            finish_production(campaign=campaign, actor=campaign.shop.owner, now=moment)
        return moment

    def quotes(self, shop, tote):
        """Two vendors quoted for the tote; the seller chose the cheaper, bigger run."""
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
                name=name,
                price=Decimal(price),
                capacity=capacity,
                position=position,
                weight_grams=DEMO_WEIGHT,
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
        for i, (name, phone, address, city) in enumerate(BUYERS[: buyers or len(BUYERS)]):
            variant = variants[i % len(variants)]
            placed = placed_at + timedelta(hours=i * 2)
            with happening_at(placed):
                order = place_order(
                    campaign=campaign,
                    lines=[LineRequest(variant.pk, 1 + i % 3, notes[i % len(notes)])],
                    buyer=Buyer(
                        name, to_e164(phone), f"buyer{i}@example.com", address, LANGUAGE, city
                    ),
                    idempotency_key=f"demo-{campaign.slug}-{i}",
                    now=placed,
                )
            if i < confirm + review:
                with happening_at(placed + timedelta(hours=1)):
                    payment = submit_payment(
                        order=order,
                        amount=order.deposit_amount + order.transfer_code,
                        sender_name=name,
                        sender_bank="BCA",
                        proof_upload=proof(order.code),
                    )
            if i < confirm:
                with happening_at(placed + timedelta(hours=3)):
                    verify_payment(payment=payment, amount_received=payment.amount, actor=seller)


@contextmanager
def happening_at(moment):
    """Whatever the services write inside is dated `moment`, so the demo's timelines read as
    if each step happened then."""
    with time_machine.travel(moment, tick=False):
        yield


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
