"""Schemathesis hooks of the contract tests (loaded through SCHEMATHESIS_HOOKS by run_contract.py).

A valid Idempotency-Key that the generator happens to draw twice for one user (short values such
as "0" come up often) makes the service replay its first response, as RFC-draft idempotency
requires; a stateful check then follows a line id that was deleted since and reports "created
resource not found". Real clients send a fresh key per logical request, so valid keys are made
unique here; invalid ones (empty, over 255 characters) are left as drawn, so their rejection is
still tested.
"""
import uuid

import schemathesis


@schemathesis.hook
def map_headers(ctx, headers):
    if headers:
        key = headers.get("Idempotency-Key")
        if isinstance(key, str) and 1 <= len(key) <= 255:
            headers["Idempotency-Key"] = f"contract-{uuid.uuid4().hex}"
    return headers
