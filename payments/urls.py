from django.urls import path

from payments import (
    views,
    views_balances,
    views_campaign_stop,
    views_public,
    views_public_refunds,
    views_refunds,
    views_review,
)

# Under /dashboard/, namespace "dashboard".
accounts = "<slug:shop_slug>/payment-accounts/"
dashboard_patterns = [
    path(accounts, views.payment_accounts, name="payment_accounts"),
    path(f"{accounts}new/", views.payment_account_new, name="payment_account_new"),
    path(f"{accounts}<int:account_id>/", views.payment_account_edit, name="payment_account_edit"),
    path(
        f"{accounts}<int:account_id>/delete/",
        views.payment_account_delete,
        name="payment_account_delete",
    ),
]

# The review queue and the proofs, for the shop's members.
review = "<slug:shop_slug>/payments/"
dashboard_patterns += [
    path(review, views_review.payment_queue, name="payments"),
    path(f"{review}<int:payment_id>/verify/", views_review.payment_verify, name="payment_verify"),
    path(f"{review}<int:payment_id>/reject/", views_review.payment_reject, name="payment_reject"),
    path(f"{review}<int:payment_id>/proof/", views_review.payment_proof, name="payment_proof"),
    path(
        f"{review}<int:payment_id>/proof/thumbnail/",
        views_review.payment_proof_thumbnail,
        name="payment_proof_thumbnail",
    ),
]

# Refunds, overdue balances, and the campaign decisions that send money back.
refunds = "<slug:shop_slug>/refunds/"
balances = "<slug:shop_slug>/balances/"
campaign = "<slug:shop_slug>/campaigns/<int:campaign_id>/"
dashboard_patterns += [
    path(refunds, views_refunds.refund_list, name="refunds"),
    path(f"{refunds}<int:refund_id>/sent/", views_refunds.refund_sent, name="refund_sent"),
    path(f"{refunds}<int:refund_id>/proof/", views_refunds.refund_proof, name="refund_proof"),
    path(
        "<slug:shop_slug>/orders/<str:code>/refund/",
        views_refunds.order_refund,
        name="order_refund",
    ),
    path(balances, views_balances.overdue_list, name="overdue_balances"),
    path(f"{balances}<str:code>/extend/", views_balances.balance_extend, name="balance_extend"),
    path(f"{balances}<str:code>/cancel/", views_balances.balance_cancel, name="balance_cancel"),
    path(f"{campaign}fail/", views_campaign_stop.campaign_fail, name="campaign_fail"),
    path(f"{campaign}cancel/", views_campaign_stop.campaign_cancel, name="campaign_cancel"),
]

# The buyer's side, behind the order's secret link; namespace "payments", at the site's root.
buyer_patterns = [
    path("o/<str:token>/pay/", views_public.pay, name="pay"),
    path("o/<str:token>/proof/<int:payment_id>/", views_public.proof, name="proof"),
    path(
        "o/<str:token>/refund/<int:refund_id>/",
        views_public_refunds.refund_details,
        name="refund_details",
    ),
    path(
        "o/<str:token>/refund/<int:refund_id>/proof/",
        views_public_refunds.refund_proof,
        name="refund_proof",
    ),
]
