"""What every app uses and no domain owns: money, clock, phones, images, e-mail delivery,
WhatsApp links, languages, rate limits, uploads, refusals, queries. It imports no app of ours
(tests/test_layout.py holds that), so campaigns, orders and payments can all stand on it.
"""
