"""A shipped order links to its carrier's own tracking page, whatever way the seller typed the
carrier's name."""

import pytest

from orders.models import Order


@pytest.mark.parametrize(
    ("carrier", "page"),
    [
        ("JNE", "https://www.jne.co.id/tracking-package"),
        ("jne reg", "https://www.jne.co.id/tracking-package"),
        ("J&T Express", "https://jet.co.id/track"),
        ("JNT", "https://jet.co.id/track"),
        ("SiCepat", "https://www.sicepat.com/checkAwb/ABC123"),
        ("AnterAja", "https://anteraja.id/tracking/ABC123"),
        ("Pos Indonesia", "https://www.posindonesia.co.id/id/tracking"),
        ("Ninja Xpress", "https://www.ninjaxpress.co/id-id/tracking?id=ABC123"),
        ("ID Express", "https://idexpress.com/lacak-paket/"),
        ("Kurir Pak Budi", ""),
    ],
)
def test_the_carriers_tracking_page(carrier, page):
    assert Order(carrier=carrier, tracking_number="ABC123").tracking_page == page


def test_no_page_without_a_tracking_number_and_the_number_is_escaped():
    assert Order(carrier="SiCepat", tracking_number="").tracking_page == ""
    assert Order(carrier="SiCepat", tracking_number="a/b c").tracking_page.endswith("/a%2Fb%20c")
