// The Stripe adapter's pure parts: Stripe-Signature (the reference's vector and stripe-go's
// negative cases), the form encoding and its bracket reading, the bodies we send, the answers
// and events we read.
#include "stripe_protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <string>
#include <vector>

#include "stripe_form.hpp"
#include "stripe_signature.hpp"

namespace {
namespace json = boost::json;
using namespace payment::stripe;
using payment::GatewayState;
using platform::Errc;

constexpr const char* kSecret = "whsec_test_secret";
constexpr const char* kBody = R"({"id":"evt_test_webhook","object":"event"})";
constexpr std::int64_t kT = 1700000000;
constexpr const char* kVector = "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990";

std::chrono::system_clock::time_point at(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

platform::Status verify(const std::string& header, const std::string& body = kBody,
                        const std::vector<std::string>& secrets = {kSecret},
                        std::int64_t now = kT) {
  return verify_signature(header, body, secrets, at(now), kDefaultTolerance);
}

std::string reason_of(const platform::Status& status) {
  return status ? std::string("ok") : status.error().reason;
}

TEST(StripeSignature, MatchesTheReferenceVector) {
  EXPECT_EQ(compute_signature(kSecret, kT, kBody), kVector);
  EXPECT_EQ(signature_header(kT, kBody, {kSecret}), std::string("t=1700000000,v1=") + kVector);
  EXPECT_TRUE(verify(std::string("t=1700000000,v1=") + kVector));
}

TEST(StripeSignature, EmptyOrMissingHeaderIsNotSigned) {
  const auto empty = verify("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, Errc::unauthenticated);
  EXPECT_EQ(empty.error().reason, "signature_missing");
  const auto missing = verify_signature(std::nullopt, kBody, {kSecret}, at(kT), kDefaultTolerance);
  EXPECT_EQ(reason_of(missing), "signature_missing");
}

TEST(StripeSignature, MalformedHeadersAreInvalid) {
  EXPECT_EQ(reason_of(verify("v1,t=1")), "signature_header_invalid");
  EXPECT_EQ(reason_of(verify("t=")), "signature_header_invalid");
  EXPECT_EQ(reason_of(verify("t=abc,v1=" + std::string(kVector))), "signature_header_invalid");
  EXPECT_EQ(reason_of(verify(std::string("v1=") + kVector)), "signature_header_invalid");
}

TEST(StripeSignature, AnExtraBadV1IsIgnored) {
  EXPECT_TRUE(verify(std::string("t=1700000000,v1=") + kVector + ",v1=bad_signature"));
  EXPECT_TRUE(verify(std::string("t=1700000000,v1=bad_signature,v1=") + kVector));
  EXPECT_TRUE(verify(std::string("t=1700000000,v0=00ff,v1=") + kVector + ",x=y"));
}

TEST(StripeSignature, OnlyV0IsNoValidSignature) {
  EXPECT_EQ(reason_of(verify(std::string("t=1700000000,v0=") + kVector)), "signature_no_v1");
  EXPECT_EQ(reason_of(verify("t=1700000000,v1=bad_signature")), "signature_no_v1");
}

TEST(StripeSignature, ATamperedBodyOrAnotherSecretFails) {
  const auto header = std::string("t=1700000000,v1=") + kVector;
  EXPECT_EQ(reason_of(verify(header, R"({"id":"evt_test_webhook","object":"evenT"})")),
            "signature_mismatch");
  EXPECT_EQ(reason_of(verify(header, std::string(kBody) + " ")), "signature_mismatch");
  EXPECT_EQ(reason_of(verify(header, kBody, {"whsec_other"})), "signature_mismatch");
  // A different t with the same v1 is a different signed string.
  EXPECT_EQ(reason_of(verify(std::string("t=1700000001,v1=") + kVector)), "signature_mismatch");
  // Upper-case hex is still the same bytes.
  std::string upper = kVector;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(verify("t=1700000000,v1=" + upper));
}

TEST(StripeSignature, TheTimestampMustBeWithinTheTolerance) {
  const auto header = std::string("t=1700000000,v1=") + kVector;
  EXPECT_TRUE(verify(header, kBody, {kSecret}, kT + 300));
  EXPECT_EQ(reason_of(verify(header, kBody, {kSecret}, kT + 301)), "signature_too_old");
  EXPECT_TRUE(verify(header, kBody, {kSecret}, kT - 300));
  EXPECT_EQ(reason_of(verify(header, kBody, {kSecret}, kT - 301)), "signature_in_future");
  // A bad signature is reported as such even when also old.
  EXPECT_EQ(reason_of(verify("t=1,v1=00", kBody, {kSecret})), "signature_mismatch");
}

TEST(StripeSignature, RotationTwoV1VerifyWithEitherSecret) {
  const std::string rolled = std::string(kSecret) + "_rolled_key";
  const auto header = signature_header(kT, kBody, {kSecret, rolled});
  EXPECT_TRUE(verify(header, kBody, {kSecret}));
  EXPECT_TRUE(verify(header, kBody, {rolled}));
  EXPECT_TRUE(verify(header, kBody, {"whsec_unrelated", rolled}));
  EXPECT_EQ(reason_of(verify(header, kBody, {"whsec_unrelated"})), "signature_mismatch");
  // One header signed with the old secret only, an endpoint that knows both.
  EXPECT_TRUE(verify(signature_header(kT, kBody, {kSecret}), kBody, {rolled, kSecret}));
}

TEST(StripeForm, EncodesAndDecodesRoundTrip) {
  const FormFields fields{{"metadata[order_id]", "ORD-1"},
                          {"line_items[0][price_data][product_data][name]", "Zamówienie & co=1"},
                          {"payment_method_types[]", "card"},
                          {"success_url", "http://shop.local/return?x=1 2"}};
  const auto body = form_encode(fields);
  EXPECT_EQ(body.substr(0, 34), "metadata%5Border_id%5D=ORD-1&line_");
  EXPECT_EQ(body.find(' '), std::string::npos);
  const auto decoded = form_decode(body);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, fields);
  EXPECT_EQ(form_decode("a=1+2&b=%C5%82&&c")->at(0).second, "1 2");
  EXPECT_EQ(form_decode("a=1+2&b=%C5%82&&c")->at(1).second, "ł");
  EXPECT_EQ(form_decode("a=1+2&b=%C5%82&&c")->size(), 3U);
  EXPECT_FALSE(form_decode("a=%G1"));
  EXPECT_FALSE(form_decode("a=%4"));
}

TEST(StripeForm, ReadsBracketsIntoJson) {
  const auto object = form_to_json(*form_decode(
      "mode=payment&line_items[0][price_data][unit_amount]=100&line_items[0][quantity]=1"
      "&metadata[a]=x&payment_method_types[]=card&payment_method_types[]=blik"));
  ASSERT_TRUE(object);
  EXPECT_EQ(json::serialize(*object),
            R"({"mode":"payment","line_items":[{"price_data":{"unit_amount":"100"},)"
            R"("quantity":"1"}],"metadata":{"a":"x"},"payment_method_types":["card","blik"]})");
  EXPECT_FALSE(form_to_json(*form_decode("a=1&a[b]=2")));
  EXPECT_FALSE(form_to_json(*form_decode("a[b]=1&a=2")));
  EXPECT_FALSE(form_to_json(*form_decode("a[2]=1")));
  EXPECT_FALSE(form_to_json(*form_decode("a[b=1")));
  EXPECT_FALSE(form_to_json(*form_decode("[b]=1")));
  EXPECT_FALSE(form_to_json(*form_decode("a=1&a=2")));
}

payment::PaymentRequest a_payment(std::string channel) {
  payment::PaymentRequest request;
  request.transaction_id = "tx-1";
  request.order_id = "ORD-2026-000123";
  request.amount = 12345;
  request.description = "Zamówienie ORD-2026-000123";
  request.email = "jan@example.pl";
  request.channel = std::move(channel);
  request.return_url = "http://shop.local/return";
  return request;
}

TEST(StripeProtocol, ChecksOutOneLineInPln) {
  const auto object = *form_to_json(checkout_session_form(a_payment("")));
  EXPECT_EQ(object.at("mode").as_string(), "payment");
  const auto& line = object.at("line_items").as_array().at(0).as_object();
  EXPECT_EQ(line.at("price_data").at("currency").as_string(), "pln");
  EXPECT_EQ(line.at("price_data").at("unit_amount").as_string(), "12345");
  EXPECT_EQ(line.at("price_data").at("product_data").at("name").as_string(),
            "Zamówienie ORD-2026-000123");
  EXPECT_EQ(line.at("quantity").as_string(), "1");
  EXPECT_EQ(object.at("success_url").as_string(), "http://shop.local/return");
  EXPECT_EQ(object.at("cancel_url").as_string(), "http://shop.local/return");
  EXPECT_EQ(object.at("client_reference_id").as_string(), "tx-1");
  EXPECT_EQ(object.at("metadata").at("transaction_id").as_string(), "tx-1");
  EXPECT_EQ(object.at("metadata").at("order_id").as_string(), "ORD-2026-000123");
  EXPECT_EQ(object.at("payment_intent_data").at("metadata").at("transaction_id").as_string(),
            "tx-1");
  EXPECT_EQ(object.at("customer_email").as_string(), "jan@example.pl");
  EXPECT_EQ(json::serialize(object.at("payment_method_types")), R"(["card","p24","blik"])");
  const auto card = *form_to_json(checkout_session_form(a_payment("card")));
  EXPECT_EQ(json::serialize(card.at("payment_method_types")), R"(["card"])");
  // The same request gives the same bytes (a retry reuses its Idempotency-Key).
  EXPECT_EQ(form_encode(checkout_session_form(a_payment("card"))),
            form_encode(checkout_session_form(a_payment("card"))));
  EXPECT_EQ(session_idempotency_key("tx-1"), "checkout-session-tx-1");
}

TEST(StripeProtocol, RefundBody) {
  payment::RefundRequest request;
  request.attempt.transaction_id = "tx-1";
  request.refund_id = "6b1c3f1e-1111-4222-8333-944445555666";
  request.amount = 500;
  const auto object = *form_to_json(refund_form(request, "pi_1"));
  EXPECT_EQ(object.at("payment_intent").as_string(), "pi_1");
  EXPECT_EQ(object.at("amount").as_string(), "500");
  EXPECT_EQ(object.at("reason").as_string(), "requested_by_customer");
  EXPECT_EQ(object.at("metadata").at("refund_id").as_string(), request.refund_id);
  EXPECT_EQ(object.at("metadata").at("transaction_id").as_string(), "tx-1");
}

TEST(StripeProtocol, ReadsAnswers) {
  const auto created = read_session_created(
      R"({"id":"cs_test_1","object":"checkout.session","url":"http://sim/c/pay/cs_test_1"})");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->gateway_reference, "cs_test_1");
  EXPECT_EQ(created->redirect_url, "http://sim/c/pay/cs_test_1");
  EXPECT_EQ(read_session_created("[]").error().code, Errc::unavailable);
  EXPECT_EQ(read_session_created(R"({"id":"x"})").error().code, Errc::unavailable);

  const auto paid = read_session_status(
      R"({"id":"cs_1","status":"complete","payment_status":"paid","amount_total":100,)"
      R"("currency":"pln","payment_intent":{"id":"pi_1","status":"succeeded",)"
      R"("amount":100,"amount_received":100,"currency":"pln"}})");
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->state, GatewayState::succeeded);
  EXPECT_EQ(paid->amount, 100);
  EXPECT_EQ(paid->currency, "PLN");
  EXPECT_EQ(paid->gateway_reference, "pi_1");
  const auto open = read_session_status(
      R"({"id":"cs_1","status":"open","payment_status":"unpaid","amount_total":100,)"
      R"("currency":"pln","payment_intent":"pi_1"})");
  EXPECT_EQ(open->state, GatewayState::pending);
  EXPECT_EQ(open->gateway_reference, "pi_1");
  const auto expired = read_session_status(
      R"({"id":"cs_1","status":"expired","payment_status":"unpaid","amount_total":100,)"
      R"("currency":"pln","payment_intent":null})");
  EXPECT_EQ(expired->state, GatewayState::failed);

  const auto intent = read_payment_intent_status(
      R"({"id":"pi_1","status":"requires_payment_method","amount":100,"currency":"pln",)"
      R"("last_payment_error":{"message":"Your card was declined.","code":"card_declined"}})");
  EXPECT_EQ(intent->state, GatewayState::pending);
  EXPECT_NE(intent->detail.find("declined"), std::string::npos);

  const auto refund = read_refund_created(R"({"id":"re_1","status":"pending","amount":5})");
  EXPECT_EQ(refund->gateway_refund_id, "re_1");
  EXPECT_EQ(refund->state, GatewayState::refund_pending);
  EXPECT_FALSE(read_refund_created(R"({"id":"re_1","status":"weird"})"));
}

TEST(StripeProtocol, MapsErrorAnswers) {
  const auto body = R"({"error":{"type":"invalid_request_error","message":"No such session"}})";
  const auto refused = api_error(404, body);
  EXPECT_EQ(refused.code, Errc::invalid);
  EXPECT_NE(refused.message.find("No such session"), std::string::npos);
  EXPECT_EQ(api_error(400, "garbage").code, Errc::invalid);
  EXPECT_EQ(api_error(401, body).code, Errc::unavailable);
  EXPECT_EQ(api_error(409, body).code, Errc::unavailable);
  EXPECT_EQ(api_error(429, body).code, Errc::unavailable);
  EXPECT_EQ(api_error(503, body).code, Errc::unavailable);
}

std::string event(const std::string& type, const std::string& object) {
  return R"({"id":"evt_1","object":"event","api_version":"2024-06-20","created":1,"type":")" +
         type + R"(","data":{"object":)" + object + "}}";
}

const std::string kSession =
    R"({"id":"cs_1","object":"checkout.session","status":"complete","payment_status":"paid",)"
    R"("amount_total":12345,"currency":"pln","client_reference_id":"tx-1",)"
    R"("metadata":{"transaction_id":"tx-1"},"payment_intent":"pi_1"})";

TEST(StripeProtocol, ReadsSessionEvents) {
  const auto completed = read_event(event("checkout.session.completed", kSession));
  ASSERT_TRUE(completed && *completed);
  const auto& n = **completed;
  EXPECT_EQ(n.event_key, "evt_1");
  EXPECT_EQ(n.transaction_id, "tx-1");
  EXPECT_EQ(n.gateway_reference, "pi_1");
  EXPECT_EQ(n.state, GatewayState::succeeded);
  EXPECT_EQ(n.amount, 12345);
  EXPECT_EQ(n.currency, "PLN");
  EXPECT_FALSE(n.needs_verification);

  auto unpaid = kSession;
  unpaid.replace(unpaid.find("\"paid\""), 6, "\"unpaid\"");
  EXPECT_EQ((*read_event(event("checkout.session.completed", unpaid)))->state,
            GatewayState::pending);
  EXPECT_EQ((*read_event(event("checkout.session.async_payment_succeeded", kSession)))->state,
            GatewayState::succeeded);
  EXPECT_EQ((*read_event(event("checkout.session.async_payment_failed", unpaid)))->state,
            GatewayState::failed);
  EXPECT_EQ((*read_event(event("checkout.session.expired", unpaid)))->state, GatewayState::failed);
}

TEST(StripeProtocol, ReadsPaymentIntentEvents) {
  const std::string intent =
      R"({"id":"pi_1","object":"payment_intent","status":"succeeded","amount":100,)"
      R"("amount_received":100,"currency":"pln","metadata":{"transaction_id":"tx-1"}})";
  const auto ok = read_event(event("payment_intent.succeeded", intent));
  ASSERT_TRUE(ok && *ok);
  EXPECT_EQ((*ok)->state, GatewayState::succeeded);
  EXPECT_EQ((*ok)->amount, 100);
  EXPECT_EQ((*ok)->gateway_reference, "pi_1");
  EXPECT_EQ((*ok)->transaction_id, "tx-1");
  const std::string failed =
      R"({"id":"pi_1","object":"payment_intent","status":"requires_payment_method",)"
      R"("amount":100,"amount_received":0,"currency":"pln","metadata":{"transaction_id":"tx-1"},)"
      R"("last_payment_error":{"message":"Your card was declined.","decline_code":"generic_decline"}})";
  const auto declined = read_event(event("payment_intent.payment_failed", failed));
  ASSERT_TRUE(declined && *declined);
  EXPECT_EQ((*declined)->state, GatewayState::pending);
  EXPECT_NE((*declined)->detail.find("Your card was declined."), std::string::npos);
}

TEST(StripeProtocol, ReadsRefundEvents) {
  const auto refund = [](const std::string& status) {
    return R"({"id":"re_1","object":"refund","status":")" + status +
           R"(","amount":500,"currency":"pln","payment_intent":"pi_1",)"
           R"("metadata":{"refund_id":"r-1","transaction_id":"tx-1"}})";
  };
  const auto done = read_event(event("refund.updated", refund("succeeded")));
  ASSERT_TRUE(done && *done);
  EXPECT_EQ((*done)->state, GatewayState::refund_succeeded);
  EXPECT_EQ((*done)->gateway_refund_id, "re_1");
  EXPECT_EQ((*done)->refund_id, "r-1");
  EXPECT_EQ((*done)->transaction_id, "tx-1");
  EXPECT_EQ((*done)->amount, 500);
  EXPECT_EQ((*read_event(event("refund.created", refund("pending"))))->state,
            GatewayState::refund_pending);
  EXPECT_EQ((*read_event(event("charge.refund.updated", refund("failed"))))->state,
            GatewayState::refund_failed);
  EXPECT_EQ((*read_event(event("refund.updated", refund("canceled"))))->state,
            GatewayState::refund_failed);
}

TEST(StripeProtocol, IgnoresOtherEventsAndRefusesBrokenOnes) {
  const auto other = read_event(event("charge.refunded", R"({"id":"ch_1"})"));
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);
  EXPECT_EQ(read_event("not json").error().code, Errc::malformed);
  EXPECT_EQ(read_event(R"({"id":"evt_1","type":"checkout.session.completed"})").error().code,
            Errc::malformed);
  EXPECT_EQ(read_event(event("checkout.session.completed", R"({"id":"cs_1"})")).error().code,
            Errc::malformed);
  EXPECT_EQ(
      read_event(event("refund.updated", R"({"id":"re_1","status":"succeeded"})")).error().code,
      Errc::malformed);
}

}  // namespace
