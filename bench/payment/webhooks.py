"""Webhook requests for bench/payment.sh, signed as each gateway signs them.

  webhooks.py p24-register SIM_URL PREFIX COUNT AMOUNT OUT
      registers the attempts PREFIX przelewy24-0..COUNT-1 at the Przelewy24 simulator (no
      urlStatus: it sends no notification of its own) and pays each through its control API, so
      that the Payment's verify call finds them paid; writes "transaction_id orderId" lines.
  webhooks.py build GATEWAY PREFIX COUNT AMOUNT OUT FORGED_OUT [P24_ORDERS]
      writes COUNT requests (one a line: "PATH<TAB>HEADER<TAB>...<TAB>BODY", the format
      webhook_load.lua reads), each a distinct gateway event moving the attempt
      PREFIX<GATEWAY>-<i> to paid, and the same requests with a broken signature to FORGED_OUT.
      Przelewy24 needs the orderIds p24-register wrote.

The signatures (services/payment/gateways): Przelewy24 sign = sha384 of the compact JSON of the
signed fields in the documented order with "crc" last; PayU OpenPayu-Signature =
md5(body + second key); Stripe-Signature t=<now>,v1=hmac_sha256(secret, "<t>.<body>") (checked
against a 300 s tolerance: build right before the phase). Keys from the environment, with the
services' dev defaults (P24_CRC, P24_MERCHANT_ID, P24_POS_ID, P24_API_KEY, PAYU_SECOND_KEY,
STRIPE_WEBHOOK_SECRET: the first of the list).
"""
import base64
import concurrent.futures
import hashlib
import hmac
import http.client
import json
import os
import sys
import time
import urllib.parse

P24_CRC = os.environ.get("P24_CRC", "dev-p24-crc")
P24_MERCHANT = int(os.environ.get("P24_MERCHANT_ID", "100001"))
P24_POS = int(os.environ.get("P24_POS_ID", str(P24_MERCHANT)))
P24_API_KEY = os.environ.get("P24_API_KEY", "dev-p24-api-key")
PAYU_SECOND_KEY = os.environ.get("PAYU_SECOND_KEY", "dev-payu-second-key")
STRIPE_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_dev_secret").split(",")[0].strip()
CURRENCY = "PLN"


def compact(document):
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def p24_sign(fields):
    return hashlib.sha384(compact({**fields, "crc": P24_CRC}).encode()).hexdigest()


def p24_register(sim_url, prefix, count, amount, out_path):
    url = urllib.parse.urlsplit(sim_url)
    auth = "Basic " + base64.b64encode(f"{P24_POS}:{P24_API_KEY}".encode()).decode()

    def one_slice(first):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        lines = []
        for i in range(first, count, workers):
            session_id = f"{prefix}przelewy24-{i}"
            signed = {"sessionId": session_id, "merchantId": P24_MERCHANT, "amount": amount,
                      "currency": CURRENCY}
            body = {"merchantId": P24_MERCHANT, "posId": P24_POS, "sessionId": session_id,
                    "amount": amount, "currency": CURRENCY, "description": "bench",
                    "email": "bench@example.com", "country": "PL", "language": "pl",
                    "urlReturn": "http://127.0.0.1/return", "sign": p24_sign(signed)}
            connection.request("POST", "/api/v1/transaction/register", compact(body),
                               {"Content-Type": "application/json", "Authorization": auth})
            answer = connection.getresponse()
            text = answer.read()
            if answer.status != 200:
                raise SystemExit(f"register {session_id}: {answer.status} {text[:200]!r}")
            connection.request("POST", f"/control/payments/{session_id}/pay", "",
                               {"Content-Type": "application/json"})
            answer = connection.getresponse()
            text = answer.read()
            if answer.status != 200:
                raise SystemExit(f"pay {session_id}: {answer.status} {text[:200]!r}")
            paid = json.loads(text)
            paid = paid.get("transaction", paid)
            lines.append(f"{session_id} {paid['order_id']}\n")
        connection.close()
        return lines

    workers = 4
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        slices = list(pool.map(one_slice, range(workers)))
    with open(out_path, "w", encoding="utf-8") as out:
        for lines in slices:
            out.writelines(lines)


def p24_request(transaction_id, order_id, amount):
    fields = {"merchantId": P24_MERCHANT, "posId": P24_POS, "sessionId": transaction_id,
              "amount": amount, "originAmount": amount, "currency": CURRENCY,
              "orderId": order_id, "methodId": 25, "statement": f"p24-{order_id}"}
    return "/payment/webhook/przelewy24", [], compact({**fields, "sign": p24_sign(fields)})


def payu_request(transaction_id, i, prefix, amount):
    body = compact({"order": {"orderId": f"PAYU-{prefix}{i}", "extOrderId": transaction_id,
                              "orderCreateDate": "2026-12-01T10:00:00.000+01:00",
                              "notifyUrl": "http://127.0.0.1/payment/webhook/payu",
                              "customerIp": "127.0.0.1", "merchantPosId": "300746",
                              "description": "bench", "currencyCode": CURRENCY,
                              "totalAmount": str(amount), "status": "COMPLETED"},
                    "localReceiptDateTime": "2026-12-01T10:00:05.000+01:00"})
    signature = hashlib.md5((body + PAYU_SECOND_KEY).encode()).hexdigest()
    header = f"OpenPayu-Signature: sender=checkout;signature={signature};algorithm=MD5;content=DOCUMENT"
    return "/payment/webhook/payu", [header], body


def stripe_request(transaction_id, i, prefix, amount, now):
    body = compact({"id": f"evt_{prefix}{i}", "object": "event", "api_version": "2024-06-20",
                    "created": now, "type": "checkout.session.completed", "livemode": False,
                    "data": {"object": {
                        "id": f"cs_test_{prefix}{i}", "object": "checkout.session",
                        "amount_total": amount, "currency": CURRENCY.lower(),
                        "client_reference_id": transaction_id,
                        "metadata": {"transaction_id": transaction_id},
                        "payment_intent": f"pi_{prefix}{i}", "payment_status": "paid",
                        "status": "complete"}}})
    signature = hmac.new(STRIPE_SECRET.encode(), f"{now}.{body}".encode(), hashlib.sha256)
    return "/payment/webhook/stripe", [f"Stripe-Signature: t={now},v1={signature.hexdigest()}"], body


def forge(path, headers, body):
    """The same request with its signature's last hex digit changed."""
    def flip(text):
        return text[:-1] + ("0" if text[-1] != "0" else "1")
    if headers and ";signature=" in headers[0]:
        name, rest = headers[0].split(";signature=", 1)
        signature, rest = rest.split(";", 1)
        return path, [f"{name};signature={flip(signature)};{rest}"] + headers[1:], body
    if headers:
        return path, [flip(headers[0])] + headers[1:], body
    signed = json.loads(body)
    signed["sign"] = flip(signed["sign"])
    return path, headers, compact(signed)


def build(gateway, prefix, count, amount, out_path, forged_path, p24_orders=None):
    orders = {}
    if gateway == "przelewy24":
        with open(p24_orders, encoding="utf-8") as lines:
            orders = dict(line.split() for line in lines)
    now = int(time.time())
    with open(out_path, "w", encoding="utf-8") as out, \
            open(forged_path, "w", encoding="utf-8") as forged:
        for i in range(count):
            transaction_id = f"{prefix}{gateway}-{i}"
            if gateway == "przelewy24":
                request = p24_request(transaction_id, int(orders[transaction_id]), amount)
            elif gateway == "payu":
                request = payu_request(transaction_id, i, prefix, amount)
            else:
                request = stripe_request(transaction_id, i, prefix, amount, now)
            for file, (path, headers, body) in ((out, request), (forged, forge(*request))):
                file.write("\t".join([path, *headers, body]) + "\n")


def main():
    command = sys.argv[1]
    if command == "p24-register":
        sim_url, prefix, count, amount, out = sys.argv[2:7]
        p24_register(sim_url, prefix, int(count), int(amount), out)
    elif command == "build":
        gateway, prefix, count, amount, out, forged = sys.argv[2:8]
        if gateway not in ("przelewy24", "payu", "stripe"):
            raise SystemExit(f"unknown gateway {gateway}")
        build(gateway, prefix, int(count), int(amount), out, forged,
              sys.argv[8] if len(sys.argv) > 8 else None)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
