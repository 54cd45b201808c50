#!/usr/bin/env bash
# One whole checkout with curl, through the gateway: a guest fills a cart, signs in and keeps
# the cart, chooses a courier, a delivery day and cash on delivery, gives their data and
# consents, and places the order. Needs curl and jq. GATEWAY: the dev stack's by default.
# Every step stops the script on an error answer (curl --fail-with-body), printing the problem.
set -euo pipefail

GATEWAY="${GATEWAY:-http://127.0.0.1:8080}"
TV=TV-LG-50NANO81                     # Telewizor LG 50" NanoCell, 2 499,00 zł
CABLE=ACC-HDMI-UGR-2M                 # Kabel HDMI 2.1 Ugreen 8K, 2 m, 65,99 zł
CUSTOMER="anna.kowalska.$(date +%s)"  # a new user each run (no password: the dev sign-in)
RUN="$(date +%s%N)"                   # makes each run's Idempotency-Keys its own

# zl GROSZE: the amount as Polish money text, e.g. 256499 -> "2 564,99 zł".
zl() {
  local whole=$(($1 / 100)) groups=""
  while ((whole >= 1000)); do
    groups="$(printf ' %03d' $((whole % 1000)))${groups}"
    whole=$((whole / 1000))
  done
  printf '%d%s,%02d zł' "${whole}" "${groups}" $(($1 % 100))
}

# show LABEL GROSZE: one figure, as grosze and as money text.
show() {
  printf '  %-22s %10s gr  %s\n' "$1" "$2" "$(zl "$2")"
}

# call METHOD PATH [BODY [CURL OPTIONS...]]: the gateway's JSON answer, as the user of $TOKEN.
TOKEN=""
call() {
  local answer
  if ! answer="$(curl -sS --fail-with-body -X "$1" "${GATEWAY}$2" \
    ${TOKEN:+-H "Authorization: Bearer ${TOKEN}"} -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "${@:4}")"; then
    echo "$1 $2 failed: ${answer}" >&2
    return 1
  fi
  printf '%s\n' "${answer}"
}

# wait_for PATH JQ_FILTER: GET PATH until the filter holds of its answer (the services learn of
# each other's changes from Kafka, a moment later); gives up after 60 s.
wait_for() {
  local answer deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    answer="$(call GET "$1")"
    if jq -e "$2" >/dev/null <<<"${answer}"; then
      printf '%s\n' "${answer}"
      return 0
    fi
    sleep 0.5
  done
  echo "GET $1 never answered $2: ${answer}" >&2
  return 1
}

echo "1. A guest's token (POST /auth/guest)"
GUEST_TOKEN="$(call POST /auth/guest | jq -r .token)"
TOKEN="${GUEST_TOKEN}"

echo "2. The guest puts a TV and a cable in the cart (POST /cart/items)"
for SKU in "${TV}" "${CABLE}"; do
  LINE="$(call POST /cart/items "{\"type\": \"offer\", \"sku\": \"${SKU}\", \"quantity\": 1}" \
    -H "Idempotency-Key: walkthrough-${RUN}-${SKU}")"
  show "$(jq -r .line.sku <<<"${LINE}")" "$(jq .line.unit_price.amount <<<"${LINE}")"
done

echo "3. ${CUSTOMER} signs in and takes the guest's cart (POST /auth/sign-in, /cart/merge)"
TOKEN="$(call POST /auth/sign-in "{\"user\": \"${CUSTOMER}\"}" | jq -r .token)"
MERGE="$(call POST /cart/merge "{\"guest_token\": \"${GUEST_TOKEN}\"}")"
MERGED="$(jq '.merged | length' <<<"${MERGE}")"
LEFT_OUT="$(jq '.left_out | length' <<<"${MERGE}")"
echo "  ${MERGED} guest lines merged, ${LEFT_OUT} left out"
CART="$(jq .cart <<<"${MERGE}")"  # the user's cart now, as GET /cart shows it
CART_VERSION="$(jq .version <<<"${CART}")"
CART_HASH="$(jq -r .cart_hash <<<"${CART}")"
SESSION="$(jq -r .session_id <<<"${CART}")"
show "cart, $(jq .item_count <<<"${CART}") items" "$(jq .subtotal.amount <<<"${CART}")"

echo "4. Delivery by courier to an address, on the first day the carrier offers (/shipping)"
METHODS="$(wait_for /shipping/available ".cart_hash == \"${CART_HASH}\"")"
show "courier" "$(jq '.methods[] | select(.id == "courier") | .price.amount' <<<"${METHODS}")"
call POST /shipping/select '{"method": "courier"}' >/dev/null
call POST /shipping/address '{"address": {
    "first_name": "Anna", "last_name": "Kowalska", "company_name": null,
    "street": "ul. Marszałkowska", "building_number": "84", "apartment_number": "12",
    "postal_code": "00-514", "city": "Warszawa", "country_code": "PL",
    "phone": "600 100 200", "floor": 4, "has_elevator": false}}' >/dev/null
CALENDAR="$(call GET '/shipping/calendar?method=courier&postal_code=00-514')"
SHIPPING=""
for DAY in $(jq -r '.days[] | select(.available) | .date' <<<"${CALENDAR}"); do
  # A day whose order cut-off has passed is refused (422): the next one, then.
  SHIPPING="$(call POST /shipping/set-date "{\"date\": \"${DAY}\"}" 2>/dev/null)" && break
done
[[ -n "${SHIPPING}" ]] || { echo "no delivery day accepted: ${CALENDAR}" >&2; exit 1; }
SHIPPING_VERSION="$(jq .version <<<"${SHIPPING}")"
echo "  delivery on $(jq -r .delivery.date <<<"${SHIPPING}")"

echo "5. Cash on delivery (/payment)"
wait_for /payment/available \
  ".session_id == \"${SESSION}\" and any(.methods[]; .id == \"cash_on_delivery\")" >/dev/null
PAYMENT="$(call POST /payment/select '{"method": "cash_on_delivery"}')"
PAYMENT_VERSION="$(jq .version <<<"${PAYMENT}")"
show "cash on delivery fee" "$(jq .selected.fee.amount <<<"${PAYMENT}")"

echo "6. Customer data and consents (/checkout)"
call POST /checkout/customer-data '{"customer": {"email": "anna.kowalska@example.pl",
    "phone": "600 100 200", "first_name": "Anna", "last_name": "Kowalska"},
  "invoice": null}' >/dev/null
# Every required consent granted, the optional ones (newsletter...) refused.
CONSENTS="$(call GET /checkout/consents | jq -c '{consents: [.consents[] |
  {consent_id, granted: .required, text_version}]}')"
call POST /checkout/consents "${CONSENTS}" >/dev/null

echo "7. The summary, once it includes every write above (read-your-writes versions)"
VERSIONS="cart_version=${CART_VERSION}&shipping_version=${SHIPPING_VERSION}"
VERSIONS+="&payment_version=${PAYMENT_VERSION}"
SUMMARY="$(wait_for "/checkout/summary?${VERSIONS}&wait_ms=5000" '.freshness.complete and .ready')"
for TOTAL in lines_total shipping_total payment_fee discount_total grand_total; do
  show "${TOTAL}" "$(jq ".totals.${TOTAL}.amount" <<<"${SUMMARY}")"
done
show "of which VAT" "$(jq '[.totals.vat[].vat.amount] | add' <<<"${SUMMARY}")"
jq -r '.promotions.applied[] | "  promotion: \(.name)"' <<<"${SUMMARY}"

echo "8. The order (POST /checkout/finalize, once per Idempotency-Key)"
PLACED="$(call POST /checkout/finalize '' -H "Idempotency-Key: walkthrough-${RUN}-finalize")"
ORDER_ID="$(jq -r .order_id <<<"${PLACED}")"
ORDER="$(call GET "/checkout/orders/${ORDER_ID}")"
NUMBER="$(jq -r .order_number <<<"${PLACED}")"
STATUS="$(jq -r .status <<<"${ORDER}")"
GRAND_TOTAL="$(jq .order.totals.grand_total.amount <<<"${ORDER}")"
echo "order ${NUMBER}: ${STATUS}, $(zl "${GRAND_TOTAL}")"
