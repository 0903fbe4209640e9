"""What Midtrans and Xendit tell us about payments (their webhooks). These only read and write
the database: no call goes back to the gateway from here.

A bad or missing signature is 401 and changes nothing; a body we cannot read is 400; anything
we have applied (or already had) is 200, so the gateway stops retrying.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments.services.gateways.notices import (
    BadSignature,
    Malformed,
    parse_json,
    read_midtrans,
    read_xendit,
)
from payments.services.gateways.transactions import apply_notice

MAX_BODY = 64 * 1024


def _receive(request, read):
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "too large"}, status=400)
    try:
        data = parse_json(request.body)
        notice, transaction = read(data)
    except Malformed as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    except BadSignature:
        return JsonResponse({"error": "unauthorized"}, status=401)
    stored = apply_notice(
        notice=notice,
        transaction=transaction,
        body=request.body.decode("utf-8", "replace"),
        source="webhook",
    )
    return JsonResponse({"received": True, "outcome": stored.outcome})


# Gateways cannot send our CSRF token; the signature (or token) is the proof instead.
@csrf_exempt
@never_cache
@require_POST
def midtrans(request):
    return _receive(request, read_midtrans)


@csrf_exempt
@never_cache
@require_POST
def xendit(request):
    token = request.headers.get("x-callback-token")
    if not token:
        return JsonResponse({"error": "unauthorized"}, status=401)
    return _receive(request, lambda data: read_xendit(data, token=token))
