// PayU's signature (the reference's test vectors 1-3 of section 6 and the ways a header or body
// can be wrong) and its messages: the order-create body, the answers, notifications, status,
// refunds, the form encoding.
#include "payu_protocol.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "platform/crypto.hpp"

namespace {
namespace json = boost::json;
using namespace payment;
using namespace payment::payu;
using platform::Errc;

constexpr std::string_view kSandboxKey = "b6ca15b0d1020e8094d9b5f8d163db54";
constexpr std::string_view kVectorBody =
    R"({"order":{"orderId":"LDLW5N7MF4140324GUEST000P01","extOrderId":"ord-1","status":"COMPLETED","currencyCode":"PLN","totalAmount":"21000"}})";
constexpr std::string_view kVectorHeader =
    "sender=checkout;signature=8d747c3ff76eeaa2da422c5530d442dd;algorithm=MD5;content=DOCUMENT";

WebhookRequest webhook(std::string body, std::string header,
                       std::string name = "openpayu-signature") {
  WebhookRequest request;
  request.headers.emplace_back("content-type", "application/json;charset=UTF-8");
  if (!header.empty()) request.headers.emplace_back(std::move(name), std::move(header));
  request.body = std::move(body);
  return request;
}

platform::Result<std::optional<Notification>> read(const WebhookRequest& request,
                                                   std::string_view key = kSandboxKey) {
  PLATFORM_CHECK(verify_webhook(request, key));
  return read_notification(request.body);
}

// Vector 1 (openpayu_php OpenPayU_UtilTest): message OpenPayUData, key SignatureKey.
TEST(PayUSignature, Vector1EveryAlgorithm) {
  EXPECT_EQ(signature_of("OpenPayUData", "SignatureKey", HashAlgorithm::md5),
            "8375034eb737d520c829fad4026a38aa");
  EXPECT_EQ(signature_of("OpenPayUData", "SignatureKey", HashAlgorithm::sha1),
            "52bb16149d1a5ccc8ac05f8e435c30d82efd5364");
  EXPECT_EQ(signature_of("OpenPayUData", "SignatureKey", HashAlgorithm::sha256),
            "8b2fd55b48f150347df56ce18d787335f32ced1d67f214016476f7c0a8f09981");
  EXPECT_EQ(signature_of("OpenPayUData", "SignatureKey", HashAlgorithm::sha384),
            "219a7029f09ae02ee406a623becca9691557cbf503fe58485cb5a08bf1a2a72f745fbc3e8fb1fa80f8"
            "24b4f890ad3b35");
  EXPECT_EQ(signature_of("OpenPayUData", "SignatureKey", HashAlgorithm::sha512),
            "4f658844a6bc4ed3c4320ecae0dc5e414c4fa2ce07563914cd5069f277ddead37be5ca6dc35099ff9d"
            "8c184bb561bb740f626fdb5162d8f7160dba8ec4ad1d5d");
}

TEST(PayUSignature, Vector1VerifiesUnderEveryAlias) {
  const std::array<std::pair<std::string_view, std::string_view>, 6> cases{{
      {"MD5", "8375034eb737d520c829fad4026a38aa"},
      {"md5", "8375034eb737d520c829fad4026a38aa"},
      {"SHA-1", "52bb16149d1a5ccc8ac05f8e435c30d82efd5364"},
      {"SHA", "8b2fd55b48f150347df56ce18d787335f32ced1d67f214016476f7c0a8f09981"},
      {"SHA-256", "8b2fd55b48f150347df56ce18d787335f32ced1d67f214016476f7c0a8f09981"},
      {"SHA256", "8b2fd55b48f150347df56ce18d787335f32ced1d67f214016476f7c0a8f09981"},
  }};
  for (const auto& [algorithm, signature] : cases) {
    const std::string header = "sender=checkout;signature=" + std::string(signature) +
                               ";algorithm=" + std::string(algorithm) + ";content=DOCUMENT";
    EXPECT_TRUE(verify_signature(header, "OpenPayUData", "SignatureKey")) << algorithm;
  }
  EXPECT_TRUE(verify_signature(
      "signature=219a7029f09ae02ee406a623becca9691557cbf503fe58485cb5a08bf1a2a72f745fbc3e8fb1fa8"
      "0f824b4f890ad3b35;algorithm=SHA-384",
      "OpenPayUData", "SignatureKey"));
  EXPECT_TRUE(verify_signature(
      "signature=4f658844a6bc4ed3c4320ecae0dc5e414c4fa2ce07563914cd5069f277ddead37be5ca6dc35099f"
      "f9d8c184bb561bb740f626fdb5162d8f7160dba8ec4ad1d5d;algorithm=SHA-512",
      "OpenPayUData", "SignatureKey"));
}

// Vector 2: the SDK's form-field signer is sha256("test=OpenPayUData&" + key); the same hash
// function computes it.
TEST(PayUSignature, Vector2FormSigner) {
  EXPECT_EQ(signature_of("test=OpenPayUData&", "SignatureKey", HashAlgorithm::sha256),
            "e4c8315c9ab2e097ef1221f3fbd1e761405d961760e538fb2e0055d3d90b5e35");
}

// Vector 3: a notification body with the public sandbox second key.
TEST(PayUSignature, Vector3Notification) {
  EXPECT_EQ(signature_header(kVectorBody, kSandboxKey), kVectorHeader);
  EXPECT_EQ(signature_of(kVectorBody, kSandboxKey, HashAlgorithm::sha256),
            "eaf1a8847c5674229ea5a2ff2911b7ca459134d5eaeae2c1809057adb8d961af");
  const auto notification = read(webhook(std::string(kVectorBody), std::string(kVectorHeader)));
  ASSERT_TRUE(notification) << notification.error().message;
  ASSERT_TRUE(notification->has_value());
  const auto& n = **notification;
  EXPECT_EQ(n.event_key, "LDLW5N7MF4140324GUEST000P01:COMPLETED");
  EXPECT_EQ(n.transaction_id, "ord-1");
  EXPECT_EQ(n.gateway_reference, "LDLW5N7MF4140324GUEST000P01");
  EXPECT_EQ(n.state, GatewayState::succeeded);
  EXPECT_EQ(n.amount, 21000);
  EXPECT_EQ(n.currency, "PLN");
  EXPECT_FALSE(n.needs_verification);
}

TEST(PayUSignature, EitherHeaderNameAndUppercaseHex) {
  EXPECT_TRUE(
      read(webhook(std::string(kVectorBody), std::string(kVectorHeader), "x-openpayu-signature")));
  EXPECT_TRUE(read(webhook(std::string(kVectorBody),
                           "sender=checkout;signature=8D747C3FF76EEAA2DA422C5530D442DD;"
                           "algorithm=MD5;content=DOCUMENT")));
  // Without algorithm: MD5.
  EXPECT_TRUE(
      read(webhook(std::string(kVectorBody), "signature=8d747c3ff76eeaa2da422c5530d442dd")));
}

void expect_unauthenticated(const WebhookRequest& request, std::string_view key = kSandboxKey) {
  const auto result = read(request, key);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::unauthenticated) << result.error().message;
}

TEST(PayUSignature, RefusesWhatIsNotSignedRight) {
  const std::string body(kVectorBody);
  expect_unauthenticated(webhook(body, ""));                           // no header
  expect_unauthenticated(webhook(body, "", "openpayu-signature"));     // empty
  expect_unauthenticated(webhook(body, ";", "openpayu-signature"));    // empty parts
  expect_unauthenticated(webhook(body, "sender=checkout;signature"));  // part without '='
  expect_unauthenticated(
      webhook(body, "sender=checkout;;signature=8d747c3ff76eeaa2da422c5530d442dd"));
  expect_unauthenticated(webhook(body, "=x;signature=8d747c3ff76eeaa2da422c5530d442dd"));
  expect_unauthenticated(webhook(body, "signature=8d74=7c3f;algorithm=MD5"));
  expect_unauthenticated(webhook(body, "sender=checkout;algorithm=MD5"));  // no signature
  expect_unauthenticated(webhook(body, "signature=zz747c3ff76eeaa2da422c5530d442dd"));
  expect_unauthenticated(  // unknown algorithm
      webhook(body, "signature=8d747c3ff76eeaa2da422c5530d442dd;algorithm=CRC32"));
  expect_unauthenticated(  // wrong algorithm
      webhook(body, "signature=8d747c3ff76eeaa2da422c5530d442dd;algorithm=SHA-256"));
  // Tampered body: one more grosz.
  std::string tampered = body;
  tampered.replace(tampered.find("21000"), 5, "21001");
  expect_unauthenticated(webhook(tampered, std::string(kVectorHeader)));
  // Whitespace added after signing: the raw bytes are what count.
  expect_unauthenticated(webhook(body + " ", std::string(kVectorHeader)));
  // A rotated second key.
  expect_unauthenticated(webhook(body, std::string(kVectorHeader)), "a-new-second-key");
  // Truncated signature.
  expect_unauthenticated(webhook(body, "signature=8d747c3ff76eeaa2da422c5530d442"));
}

TEST(PayUSignature, ParsesTheHeader) {
  const auto header = parse_signature_header(kVectorHeader);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->sender, "checkout");
  EXPECT_EQ(header->signature, "8d747c3ff76eeaa2da422c5530d442dd");
  EXPECT_EQ(header->algorithm, HashAlgorithm::md5);
  EXPECT_EQ(header->content, "DOCUMENT");
  EXPECT_EQ(hash_algorithm_from_name("sha-512"), HashAlgorithm::sha512);
  EXPECT_EQ(hash_algorithm_from_name("SHA-2"), std::nullopt);
}

std::string signed_read_error(const std::string& body) {
  const auto result = read(webhook(body, signature_header(body, kSandboxKey)));
  if (result) return "accepted";
  return std::string(platform::errc_name(result.error().code));
}

TEST(PayUNotification, SignedButMalformed) {
  const auto malformed = std::string(platform::errc_name(Errc::malformed));
  EXPECT_EQ(signed_read_error("not json"), malformed);
  EXPECT_EQ(signed_read_error("[]"), malformed);
  EXPECT_EQ(signed_read_error(R"({"something":{}})"), malformed);
  const std::string good =
      R"({"order":{"orderId":"A1","extOrderId":"t-1","status":"COMPLETED","currencyCode":"PLN","totalAmount":"200"}})";
  EXPECT_EQ(signed_read_error(good), "accepted");
  auto with = [&good](std::string_view from, std::string_view to) {
    std::string body = good;
    body.replace(body.find(from), from.size(), to);
    return body;
  };
  EXPECT_EQ(signed_read_error(with(R"("totalAmount":"200")", R"("totalAmount":"2.00")")),
            malformed);
  EXPECT_EQ(signed_read_error(with(R"("totalAmount":"200")", R"("totalAmount":"-200")")),
            malformed);
  EXPECT_EQ(signed_read_error(with(R"("totalAmount":"200")", R"("totalAmount":" 200")")),
            malformed);
  EXPECT_EQ(signed_read_error(with(R"("totalAmount":"200")", R"("totalAmount":200)")), malformed);
  EXPECT_EQ(signed_read_error(with(R"("totalAmount":"200")", R"("totalAmount":"")")), malformed);
  EXPECT_EQ(
      signed_read_error(with(R"("totalAmount":"200")", R"("totalAmount":"1234567890123456789")")),
      malformed);
  EXPECT_EQ(signed_read_error(with(R"("orderId":"A1",)", "")), malformed);
  EXPECT_EQ(signed_read_error(with(R"("extOrderId":"t-1",)", "")), malformed);
  EXPECT_EQ(signed_read_error(with(R"("status":"COMPLETED",)", "")), malformed);
  EXPECT_EQ(signed_read_error(with(R"("currencyCode":"PLN",)", "")), malformed);
  EXPECT_EQ(signed_read_error(with(R"("currencyCode":"PLN")", R"("currencyCode":"pln")")),
            malformed);
  EXPECT_EQ(signed_read_error(with("COMPLETED", "PAID")), malformed);
}

std::optional<Notification> order_notification(std::string_view status) {
  const std::string body = R"({"order":{"orderId":"A1","extOrderId":"t-1","status":")" +
                           std::string(status) + R"(","currencyCode":"PLN","totalAmount":"200"}})";
  auto result = read_notification(body);
  EXPECT_TRUE(result) << status;
  return result ? *result : std::nullopt;
}

TEST(PayUNotification, OrderStatuses) {
  EXPECT_EQ(order_notification("PENDING")->state, GatewayState::pending);
  EXPECT_EQ(order_notification("PENDING")->event_key, "A1:PENDING");
  EXPECT_EQ(order_notification("WAITING_FOR_CONFIRMATION")->state, GatewayState::pending);
  EXPECT_EQ(order_notification("COMPLETED")->state, GatewayState::succeeded);
  EXPECT_EQ(order_notification("CANCELED")->state, GatewayState::failed);
  EXPECT_EQ(order_notification("CANCELED")->event_key, "A1:CANCELED");
  EXPECT_EQ(order_notification("NEW"), std::nullopt);  // PayU does not notify NEW
}

TEST(PayUNotification, Refund) {
  const std::string body =
      R"({"orderId":"A1","extOrderId":"t-1","refund":{"refundId":"912128","extRefundId":"r-1","amount":"15516","currencyCode":"PLN","status":"FINALIZED","statusDateTime":"2026-12-03T10:00:00.000+01:00","reason":"refund","reasonDescription":"Zwrot towaru"}})";
  const auto result = read_notification(body);
  ASSERT_TRUE(result && result->has_value());
  const auto& n = **result;
  EXPECT_EQ(n.event_key, "A1:912128:FINALIZED");
  EXPECT_EQ(n.state, GatewayState::refund_succeeded);
  EXPECT_EQ(n.gateway_refund_id, "912128");
  EXPECT_EQ(n.refund_id, "r-1");
  EXPECT_EQ(n.transaction_id, "t-1");
  EXPECT_EQ(n.gateway_reference, "A1");
  EXPECT_EQ(n.amount, 15516);

  std::string canceled = body;
  canceled.replace(canceled.find("FINALIZED"), 9, "CANCELED");
  const auto failed = read_notification(canceled);
  ASSERT_TRUE(failed && failed->has_value());
  EXPECT_EQ((*failed)->state, GatewayState::refund_failed);
  EXPECT_EQ((*failed)->event_key, "A1:912128:CANCELED");

  std::string no_id = body;
  no_id.replace(no_id.find(R"("refundId":"912128",)"), 20, "");
  EXPECT_FALSE(read_notification(no_id));
}

TEST(PayUOrder, CreateBody) {
  PaymentRequest request;
  request.transaction_id = "tx-1";
  request.order_id = "ORD-2026-000123";
  request.amount = 12999;
  request.description = "Zamówienie ORD-2026-000123";
  request.email = "jan@example.pl";
  request.customer_name = "Jan Kowalski";
  request.customer_ip = "10.0.0.7";
  request.channel = "instalments";
  request.return_url = "http://shop/return";
  request.notify_url = "http://shop/webhooks/payu";
  const auto body = json::parse(order_create_body(request, "300746")).as_object();
  EXPECT_EQ(body.at("extOrderId").as_string(), "tx-1");
  EXPECT_EQ(body.at("totalAmount").as_string(), "12999");
  EXPECT_EQ(body.at("currencyCode").as_string(), "PLN");
  EXPECT_EQ(body.at("merchantPosId").as_string(), "300746");
  EXPECT_EQ(body.at("customerIp").as_string(), "10.0.0.7");
  EXPECT_EQ(body.at("notifyUrl").as_string(), "http://shop/webhooks/payu");
  EXPECT_EQ(body.at("continueUrl").as_string(), "http://shop/return");
  EXPECT_EQ(body.at("description").as_string(), "Zamówienie ORD-2026-000123");
  EXPECT_EQ(body.at("buyer").at("email").as_string(), "jan@example.pl");
  EXPECT_EQ(body.at("buyer").at("lastName").as_string(), "Kowalski");
  const auto& products = body.at("products").as_array();
  ASSERT_EQ(products.size(), 1U);
  EXPECT_EQ(products[0].at("unitPrice").as_string(), "12999");
  EXPECT_EQ(products[0].at("quantity").as_string(), "1");
  EXPECT_EQ(body.at("payMethods").at("payMethod").at("value").as_string(), "ai");
  request.channel = "";
  EXPECT_FALSE(
      json::parse(order_create_body(request, "300746")).as_object().contains("payMethods"));
}

TEST(PayUOrder, CreatedAnswer) {
  const std::string body =
      R"({"status":{"statusCode":"SUCCESS"},"redirectUri":"http://payu/pay/?orderId=WZ1&token=t","orderId":"WZ1","extOrderId":"tx-1"})";
  const auto registration = read_order_created(302, body, std::nullopt);
  ASSERT_TRUE(registration);
  EXPECT_EQ(registration->gateway_reference, "WZ1");
  EXPECT_EQ(registration->redirect_url, "http://payu/pay/?orderId=WZ1&token=t");
  EXPECT_TRUE(read_order_created(201, body, std::nullopt));

  const auto duplicate = read_order_created(
      400, R"({"status":{"statusCode":"ERROR_ORDER_NOT_UNIQUE","statusDesc":"not unique"}})",
      std::nullopt);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, Errc::invalid);
  EXPECT_NE(duplicate.error().message.find("ERROR_ORDER_NOT_UNIQUE"), std::string::npos);
  EXPECT_EQ(read_order_created(503, "", std::nullopt).error().code, Errc::unavailable);
  EXPECT_EQ(read_order_created(200, "<html>", std::nullopt).error().code, Errc::unavailable);
  EXPECT_EQ(
      read_order_created(302, R"({"status":{"statusCode":"SUCCESS"}})", std::nullopt).error().code,
      Errc::unavailable);
}

TEST(PayUOrder, Status) {
  const std::string body =
      R"({"orders":[{"orderId":"WZ1","extOrderId":"tx-1","currencyCode":"PLN","totalAmount":"500","status":"COMPLETED"}],"status":{"statusCode":"SUCCESS"}})";
  const auto status = read_order_status(200, body);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, GatewayState::succeeded);
  EXPECT_EQ(status->amount, 500);
  EXPECT_EQ(status->gateway_reference, "WZ1");
  EXPECT_EQ(read_order_status(200, R"({"orders":[]})").error().code, Errc::unavailable);
  EXPECT_EQ(read_order_status(404, R"({"status":{"statusCode":"DATA_NOT_FOUND"}})").error().code,
            Errc::invalid);
}

TEST(PayURefund, BodyAndAnswer) {
  RefundRequest request;
  request.attempt.gateway_reference = "WZ1";
  request.refund_id = "8d0c0b7e-1a1b-4c5f-9b34-1f2e3d4c5b6a";
  request.amount = 1500;
  request.reason = "Zwrot towaru";
  const auto body = json::parse(refund_request_body(request)).as_object();
  EXPECT_EQ(body.at("refund").at("extRefundId").as_string(), request.refund_id);
  EXPECT_EQ(body.at("refund").at("amount").as_string(), "1500");
  EXPECT_EQ(body.at("refund").at("description").as_string(), "Zwrot towaru");

  const auto accepted = read_refund_answer(
      200,
      R"({"orderId":"WZ1","refund":{"refundId":"5000000142","extRefundId":"x","amount":"1500","currencyCode":"PLN","status":"PENDING"},"status":{"statusCode":"SUCCESS"}})");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->gateway_refund_id, "5000000142");
  EXPECT_EQ(accepted->state, GatewayState::refund_pending);
  EXPECT_EQ(
      read_refund_answer(400, R"({"status":{"statusCode":"ERROR_VALUE_INVALID"}})").error().code,
      Errc::invalid);
}

TEST(PayUToken, RequestAndAnswer) {
  EXPECT_EQ(token_request_body("300746", "a b&c"),
            "grant_type=client_credentials&client_id=300746&client_secret=a+b%26c");
  const auto token = read_token_answer(
      200,
      R"({"access_token":"7b0a","token_type":"bearer","expires_in":43199,"grant_type":"client_credentials"})");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->value, "7b0a");
  EXPECT_EQ(token->expires_in, std::chrono::seconds(43199));
  const auto refused =
      read_token_answer(401, R"({"error":"invalid_client","error_description":"x"})");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid);
  EXPECT_NE(refused.error().message.find("invalid_client"), std::string::npos);
}

TEST(PayUForm, RoundTrip) {
  const FormFields fields{{"action", "pay"}, {"note", "zażółć & 100%"}};
  const auto parsed = parse_form(form_encode(fields));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, fields);
  EXPECT_EQ(form_value(*parse_form("a=1&b&c=x+y"), "c"), "x y");
  EXPECT_EQ(form_value(*parse_form("a=1&b&c=x+y"), "b"), "");
  EXPECT_FALSE(parse_form("a=%2"));
  EXPECT_FALSE(parse_form("a=%zz"));
  EXPECT_EQ(parse_amount("0"), 0);
  EXPECT_EQ(parse_amount("+1"), std::nullopt);
}

}  // namespace
