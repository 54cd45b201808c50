"""Stripe-Signature, checked against the stripe Python package (stripe.WebhookSignature).

Both directions: our C++ signer (stripe_signature_tool sign) verified by
stripe.WebhookSignature.verify_header, and headers from
stripe.WebhookSignature.generate_signature_header / _compute_signature verified by our C++
verifier (stripe_signature_tool verify), including tampered bodies, wrong secrets and a header
carrying two v1 signatures (a secret rotation). Exit code 0 when every case agrees.
"""
import argparse
import subprocess
import sys
import time

import stripe

BODIES = [
    '{"id":"evt_test_webhook","object":"event"}',
    '{"id":"evt_1","object":"event","type":"checkout.session.completed",'
    '"data":{"object":{"id":"cs_test_1","amount_total":12345,"currency":"pln"}}}',
    '{"id":"evt_2","data":{"object":{"description":"Zamówienie ORD-2026-000123 – żółć, ąę 😀"}}}',
    '',
    ' {"spaces" : [1, 2, 3] }\n',
]
SECRETS = ["whsec_test_secret", "whsec_dev_secret", "whsec_zażółć"]


def run(tool, args, body):
    done = subprocess.run([tool, *args], input=body.encode("utf-8"), capture_output=True, check=False)
    return done.returncode, done.stdout.decode("utf-8")


def python_verifies(body, header, secret):
    try:
        stripe.WebhookSignature.verify_header(body, header, secret, tolerance=300)
        return True
    except stripe.SignatureVerificationError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    tool = parser.parse_args().tool
    failures = []
    checks = 0

    def expect(condition, what):
        nonlocal checks
        checks += 1
        if not condition:
            failures.append(what)

    now = int(time.time())
    for secret in SECRETS:
        for body in BODIES:
            # 1. We sign, stripe-python verifies.
            code, header = run(tool, ["sign", secret, str(now)], body)
            expect(code == 0, f"sign failed for {body!r}")
            expect(python_verifies(body, header, secret), f"python rejects our header {header}")
            expect(not python_verifies(body + "x", header, secret), "python accepts a tampered body")
            expect(header == stripe.WebhookSignature.generate_signature_header(body, secret, now),
                   f"headers differ for {body!r}")

            # 2. stripe-python signs, we verify.
            theirs = stripe.WebhookSignature.generate_signature_header(body, secret, now)
            code, out = run(tool, ["verify", secret, theirs, str(now)], body)
            expect(code == 0, f"we reject python's header for {body!r}: {out}")
            code, _ = run(tool, ["verify", secret, theirs, str(now)], body + " ")
            expect(code == 1, "we accept a tampered body")
            code, _ = run(tool, ["verify", "whsec_other", theirs, str(now)], body)
            expect(code == 1, "we accept another secret")
            code, out = run(tool, ["verify", secret, theirs, str(now + 301)], body)
            expect(code == 1 and "too_old" in out, f"we accept an old header: {out}")

            # Rotation: two v1 computed the documented way, verified with either secret.
            rolled = secret + "_rolled_key"
            signed = f"{now}.{body}"
            two = (f"t={now},v1={stripe.WebhookSignature._compute_signature(signed, secret)}"
                   f",v1={stripe.WebhookSignature._compute_signature(signed, rolled)}")
            for key in (secret, rolled):
                code, out = run(tool, ["verify", key, two, str(now)], body)
                expect(code == 0, f"rotation header rejected with {key}: {out}")
                expect(python_verifies(body, two, key), "python rejects the rotation header")

    print(f"{checks} checks, {len(failures)} failures")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
