// The Przelewy24 protocol without I/O: the sign test vectors of the reference (section 6, P24
// 1-5), the request bodies, reading notifications (and refusing forged or broken ones) and the
// status answer.
#include "przelewy24_protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "platform/polish_calendar.hpp"

namespace payment {
namespace {
namespace json = boost::json;
using platform::Errc;
using namespace std::chrono_literals;
using namespace przelewy24;

// Vector 1: mnastalski tests/TransactionStatusNotificationTest.php (crc "bar").
TransactionNotice vector_notice() {
  TransactionNotice notice;
  notice.merchant_id = 12345;
  notice.pos_id = 123;
  notice.session_id = "0beec7";
  notice.amount = 1500;
  notice.origin_amount = 1500;
  notice.currency = "PLN";
  notice.order_id = 123456789;
  notice.method_id = 32;
  notice.statement = "p24-XXX-YYY-ZZZ";
  return notice;
}

// Vector 2: mnastalski tests/RefundNotificationTest.php.
RefundNotice vector_refund() {
  RefundNotice notice;
  notice.order_id = 4295430336;
  notice.session_id = "1e715675-a42b-4d0b-81bb-f7288915be76";
  notice.merchant_id = 235316;
  notice.request_id = "97920952-1d9b-4c90-9238-2b74ae0f48bb";
  notice.refunds_uuid = "97920952-1d9b-4c90-9238-2b74ae0f48bb";
  notice.amount = 500;
  notice.currency = "PLN";
  notice.timestamp = 1700000000;
  notice.status = 0;
  return notice;
}

Przelewy24Credentials vector_credentials() {
  Przelewy24Credentials credentials;
  credentials.merchant_id = 12345;
  credentials.pos_id = 123;
  credentials.crc = "bar";
  return credentials;
}

Przelewy24Credentials refund_credentials() {
  Przelewy24Credentials credentials;
  credentials.merchant_id = 235316;
  credentials.pos_id = 235316;
  credentials.crc = "c4816521bf32ed54";
  return credentials;
}

std::string signed_notification(const TransactionNotice& notice, std::string_view crc) {
  return notification_body(notice, notification_sign(notice, crc));
}

TEST(Przelewy24Sign, Vector1TransactionNotification) {
  const auto notice = vector_notice();
  EXPECT_EQ(notification_sign_json(notice, "bar"),
            R"({"merchantId":12345,"posId":123,"sessionId":"0beec7","amount":1500,)"
            R"("originAmount":1500,"currency":"PLN","orderId":123456789,"methodId":32,)"
            R"("statement":"p24-XXX-YYY-ZZZ","crc":"bar"})");
  EXPECT_EQ(notification_sign(notice, "bar"),
            "703e946290d92230297c35d3bc8f554d4a458a4c97c9917665929c5ef5e682f7a868ac36e5dff20184c6"
            "a5302ef66c77");
}

TEST(Przelewy24Sign, Vector2RefundNotification) {
  const auto notice = vector_refund();
  EXPECT_EQ(refund_notification_sign_json(notice, "c4816521bf32ed54"),
            R"({"orderId":4295430336,"sessionId":"1e715675-a42b-4d0b-81bb-f7288915be76",)"
            R"("refundsUuid":"97920952-1d9b-4c90-9238-2b74ae0f48bb","merchantId":235316,)"
            R"("amount":500,"currency":"PLN","status":0,"crc":"c4816521bf32ed54"})");
  EXPECT_EQ(refund_notification_sign(notice, "c4816521bf32ed54"),
            "dad28db2e0336e595bc313e3c7282ab2ba2f265021f45b85271232901fefd4bc1329fd47aa4eb735ac81"
            "8e2b82c4dc24");
}

TEST(Przelewy24Sign, Vector3Register) {
  EXPECT_EQ(
      register_sign_json("sessionId", 999999, 1000, "PLN", "crc"),
      R"({"sessionId":"sessionId","merchantId":999999,"amount":1000,"currency":"PLN","crc":"crc"})");
  EXPECT_EQ(register_sign("sessionId", 999999, 1000, "PLN", "crc"),
            "a34cf822f00b51d8d75e2d21334d6ffb5f2fac8408574f4cd7d4897f07ed61312244f9875e18ce63a4fb"
            "e2668d7ffc30");
}

TEST(Przelewy24Sign, Vector4Verify) {
  EXPECT_EQ(
      verify_sign_json("sessionId", 999999, 1000, "PLN", "crc"),
      R"({"sessionId":"sessionId","orderId":999999,"amount":1000,"currency":"PLN","crc":"crc"})");
  EXPECT_EQ(verify_sign("sessionId", 999999, 1000, "PLN", "crc"),
            "3edcfa853ade37780fdcd00541b2c266117a7d35fab662ddc26498495c09b048e736f28424b616d2f1fb"
            "d882f6a47f0c");
}

TEST(Przelewy24Sign, Vector5RawUtf8AndSlash) {
  const std::string session = "zam\xC3\xB3wienie/\xC4\x85\xC4\x99-1";  // zamówienie/ąę-1
  EXPECT_EQ(register_sign_json(session, 999999, 1000, "PLN", "crc"),
            R"({"sessionId":")" + session +
                R"(","merchantId":999999,"amount":1000,"currency":"PLN","crc":"crc"})");
  EXPECT_EQ(register_sign(session, 999999, 1000, "PLN", "crc"),
            "b5901430dfe858494420c841053cce68732e85afa05e58ccfdd31ba7e22fd87673d26731fcc5bf37eda5"
            "7eb0617d0b69");
}

TEST(Przelewy24Sign, EscapesLikePhpJsonEncode) {
  EXPECT_EQ(json_string("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(json_string(std::string("\n\t\x01", 3)), R"("\n\t\u0001")");
  EXPECT_EQ(json_string("x\xE2\x80\xA8y\xE2\x80\xA9z"), R"("x\u2028y\u2029z")");
  EXPECT_EQ(json_string("\xC5\x82\xC3\xB3\xC5\xBC\xE2\x80\x99"),
            "\"\xC5\x82\xC3\xB3\xC5\xBC\xE2\x80\x99\"");
}

TEST(Przelewy24Notification, ReadsAPaymentWithOrderIdBeyond2To31) {
  auto notice = vector_notice();
  notice.order_id = 4295430336;
  const auto read = read_notification(signed_notification(notice, "bar"), vector_credentials());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->event_key, "4295430336:0beec7");
  EXPECT_EQ(read->transaction_id, "0beec7");
  EXPECT_EQ(read->gateway_reference, "4295430336");
  EXPECT_EQ(read->state, GatewayState::succeeded);
  EXPECT_TRUE(read->needs_verification);
  EXPECT_EQ(read->amount, 1500);
  EXPECT_EQ(read->currency, "PLN");
  EXPECT_FALSE(read->refund_id);
}

TEST(Przelewy24Notification, ReadsTheVector1Body) {
  const std::string body =
      R"({"merchantId":12345,"posId":123,"sessionId":"0beec7","amount":1500,"originAmount":1500,)"
      R"("currency":"PLN","orderId":123456789,"methodId":32,"statement":"p24-XXX-YYY-ZZZ",)"
      R"("sign":"703e946290d92230297c35d3bc8f554d4a458a4c97c9917665929c5ef5e682f7a868ac36e5dff20184c6a5302ef66c77"})";
  const auto read = read_notification(body, vector_credentials());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->event_key, "123456789:0beec7");
}

TEST(Przelewy24Notification, ReadsARefund) {
  const auto notice = vector_refund();
  const auto body =
      refund_notification_body(notice, refund_notification_sign(notice, "c4816521bf32ed54"));
  const auto read = read_notification(body, refund_credentials());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->event_key, "refund:97920952-1d9b-4c90-9238-2b74ae0f48bb:4295430336");
  EXPECT_EQ(read->state, GatewayState::refund_succeeded);
  EXPECT_EQ(read->transaction_id, "1e715675-a42b-4d0b-81bb-f7288915be76");
  EXPECT_EQ(read->gateway_reference, "4295430336");
  EXPECT_EQ(read->refund_id, "97920952-1d9b-4c90-9238-2b74ae0f48bb");
  EXPECT_EQ(read->amount, 500);
  EXPECT_FALSE(read->needs_verification);

  auto rejected = notice;
  rejected.status = 1;
  const auto read_rejected = read_notification(
      refund_notification_body(rejected, refund_notification_sign(rejected, "c4816521bf32ed54")),
      refund_credentials());
  ASSERT_TRUE(read_rejected);
  EXPECT_EQ(read_rejected->state, GatewayState::refund_failed);
}

void expect_unauthenticated(std::string_view body, const Przelewy24Credentials& credentials) {
  const auto read = read_notification(body, credentials);
  ASSERT_FALSE(read) << body;
  EXPECT_EQ(read.error().code, Errc::unauthenticated) << read.error().message;
}

std::string with_field(const std::string& body, const std::string& name, json::value value) {
  auto object = json::parse(body).as_object();
  if (value.is_null()) {
    object.erase(name);
  } else {
    object[name] = std::move(value);
  }
  return json::serialize(object);
}

TEST(Przelewy24Notification, RefusesMissingOrEmptySign) {
  const auto body = signed_notification(vector_notice(), "bar");
  expect_unauthenticated(with_field(body, "sign", nullptr), vector_credentials());
  expect_unauthenticated(with_field(body, "sign", ""), vector_credentials());
  expect_unauthenticated(with_field(body, "sign", 42), vector_credentials());
}

TEST(Przelewy24Notification, RefusesATamperedBody) {
  const auto body = signed_notification(vector_notice(), "bar");
  expect_unauthenticated(with_field(body, "amount", 150000), vector_credentials());
  expect_unauthenticated(with_field(body, "sessionId", "0beec8"), vector_credentials());
  expect_unauthenticated(with_field(body, "orderId", 123456780), vector_credentials());
  auto upper = json::parse(body).as_object();
  std::string sign(upper["sign"].as_string());
  sign[0] = sign[0] == 'a' ? 'b' : 'a';
  expect_unauthenticated(with_field(body, "sign", json::string(sign)), vector_credentials());
}

TEST(Przelewy24Notification, RefusesTheWrongCrc) {
  // Signed with the previous CRC key after a rotation.
  const auto body = signed_notification(vector_notice(), "old-crc");
  expect_unauthenticated(body, vector_credentials());
  const auto refund = vector_refund();
  expect_unauthenticated(refund_notification_body(refund, refund_notification_sign(refund, "x")),
                         refund_credentials());
}

TEST(Przelewy24Notification, RefusesAnotherMerchantOrPos) {
  auto notice = vector_notice();
  notice.merchant_id = 54321;
  expect_unauthenticated(signed_notification(notice, "bar"), vector_credentials());
  notice = vector_notice();
  notice.pos_id = 124;
  expect_unauthenticated(signed_notification(notice, "bar"), vector_credentials());
  auto refund = vector_refund();
  refund.merchant_id = 1;
  expect_unauthenticated(
      refund_notification_body(refund, refund_notification_sign(refund, "c4816521bf32ed54")),
      refund_credentials());
}

TEST(Przelewy24Notification, RefusesANonJsonBody) {
  expect_unauthenticated("", vector_credentials());
  expect_unauthenticated("merchantId=12345&sign=abc", vector_credentials());
  expect_unauthenticated("[1,2]", vector_credentials());
  expect_unauthenticated(R"({"sign":"abc")", vector_credentials());
}

TEST(Przelewy24Notification, RefusesMissingOrMistypedFields) {
  const auto body = signed_notification(vector_notice(), "bar");
  for (const char* field : {"merchantId", "posId", "sessionId", "amount", "originAmount",
                            "currency", "orderId", "methodId", "statement"}) {
    expect_unauthenticated(with_field(body, field, nullptr), vector_credentials());
  }
  expect_unauthenticated(with_field(body, "amount", "1500"), vector_credentials());
  expect_unauthenticated(with_field(body, "amount", 1500.5), vector_credentials());
  expect_unauthenticated(with_field(body, "orderId", "123456789"), vector_credentials());
  // Beyond int64: refused rather than wrapped.
  expect_unauthenticated(with_field(body, "orderId", json::value(std::uint64_t{1} << 63U)),
                         vector_credentials());
}

TEST(Przelewy24Notification, SignedButImpossibleIsMalformed) {
  auto notice = vector_notice();
  notice.amount = 0;
  const auto read = read_notification(signed_notification(notice, "bar"), vector_credentials());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, Errc::malformed);
}

TEST(Przelewy24Notification, AmountDifferentFromOriginIsStillRead) {
  auto notice = vector_notice();
  notice.amount = 1400;
  const auto read = read_notification(signed_notification(notice, "bar"), vector_credentials());
  ASSERT_TRUE(read);
  EXPECT_EQ(read->amount, 1400);
}

PaymentRequest a_payment() {
  PaymentRequest request;
  request.transaction_id = "tx-1";
  request.order_id = "ORD-2026-000123";
  request.amount = 12999;
  request.description = "Zam\xC3\xB3wienie ORD-2026-000123";
  request.email = "jan@example.pl";
  request.customer_name = "Jan Kowalski";
  request.return_url = "http://shop.local/return/tx-1";
  request.notify_url = "http://shop.local/webhooks/przelewy24";
  return request;
}

TEST(Przelewy24Bodies, Register) {
  Przelewy24Credentials credentials;
  const auto body = register_body(a_payment(), credentials);
  ASSERT_TRUE(body);
  const auto object = json::parse(*body).as_object();
  EXPECT_EQ(object.at("merchantId").as_int64(), 100001);
  EXPECT_EQ(object.at("posId").as_int64(), 100001);
  EXPECT_EQ(object.at("sessionId").as_string(), "tx-1");
  EXPECT_EQ(object.at("amount").as_int64(), 12999);
  EXPECT_EQ(object.at("currency").as_string(), "PLN");
  EXPECT_EQ(object.at("urlStatus").as_string(), "http://shop.local/webhooks/przelewy24");
  EXPECT_EQ(object.at("urlReturn").as_string(), "http://shop.local/return/tx-1");
  EXPECT_EQ(object.at("timeLimit").as_int64(), 15);
  EXPECT_EQ(object.at("client").as_string(), "Jan Kowalski");
  EXPECT_FALSE(object.contains("channel"));
  EXPECT_EQ(object.at("sign").as_string(),
            register_sign("tx-1", 100001, 12999, "PLN", credentials.crc));
  EXPECT_NE(body->find("http://shop.local/"), std::string::npos);  // `/` unescaped
}

TEST(Przelewy24Bodies, Channels) {
  auto request = a_payment();
  const auto channel_of = [&](std::string channel) {
    request.channel = std::move(channel);
    const auto body = register_body(request, Przelewy24Credentials{});
    return json::parse(*body).as_object().at("channel").as_int64();
  };
  EXPECT_EQ(channel_of("transfer"), 6);
  EXPECT_EQ(channel_of("blik"), 8192);
  EXPECT_EQ(channel_of("card"), 4097);
  EXPECT_EQ(channel_of("instalments"), 128);
  request.channel = "crypto";
  const auto unknown = register_body(request, Przelewy24Credentials{});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::invalid);
  request.channel.clear();
  request.blik_code = "777123";
  EXPECT_EQ(json::parse(*register_body(request, Przelewy24Credentials{}))
                .as_object()
                .at("channel")
                .as_int64(),
            8192);
}

TEST(Przelewy24Bodies, VerifyFromANotification) {
  auto notice = vector_notice();
  notice.order_id = 4295430336;
  const auto notification =
      read_notification(signed_notification(notice, "bar"), vector_credentials());
  ASSERT_TRUE(notification);
  const auto body = verify_body(*notification, vector_credentials());
  ASSERT_TRUE(body);
  const auto object = json::parse(*body).as_object();
  EXPECT_EQ(object.at("orderId").as_int64(), 4295430336);
  EXPECT_EQ(object.at("sessionId").as_string(), "0beec7");
  EXPECT_EQ(object.at("posId").as_int64(), 123);
  EXPECT_EQ(object.at("sign").as_string(), verify_sign("0beec7", 4295430336, 1500, "PLN", "bar"));
  auto broken = *notification;
  broken.gateway_reference = "abc";
  EXPECT_FALSE(verify_body(broken, vector_credentials()));
}

TEST(Przelewy24Bodies, Refund) {
  RefundRequest request;
  request.attempt.transaction_id = "tx-1";
  request.attempt.gateway_reference = "4295430336";
  request.refund_id = "5f0e6c1e-2f7c-4bb8-9d1a-0a4b8c4d2e11";
  request.amount = 500;
  request.reason = "Zwrot towaru: \xC5\x82\xC3\xB3\xC5\xBC" + std::string(40, 'x');
  request.notify_url = "http://shop.local/webhooks/przelewy24";
  const auto body = refund_body(request);
  ASSERT_TRUE(body);
  const auto object = json::parse(*body).as_object();
  EXPECT_EQ(object.at("requestId").as_string(), request.refund_id);
  EXPECT_EQ(object.at("refundsUuid").as_string(), request.refund_id);
  const auto& refund = object.at("refunds").as_array().at(0).as_object();
  EXPECT_EQ(refund.at("orderId").as_int64(), 4295430336);
  EXPECT_EQ(refund.at("amount").as_int64(), 500);
  const std::string description(refund.at("description").as_string());
  EXPECT_EQ(description, "Zwrot towaru: \xC5\x82\xC3\xB3\xC5\xBC" + std::string(18, 'x'));
  request.attempt.gateway_reference.clear();
  EXPECT_FALSE(refund_body(request));
}

TEST(Przelewy24Answers, RegisterToken) {
  EXPECT_EQ(*read_register_answer(R"({"data":{"token":"ABC-123"},"responseCode":0})"), "ABC-123");
  EXPECT_EQ(read_register_answer("<html>").error().code, Errc::unavailable);
  EXPECT_EQ(read_register_answer(R"({"data":{}})").error().code, Errc::unavailable);
}

platform::TimePoint warsaw(int day, int hour, int minute) {
  using namespace std::chrono;
  return platform::from_warsaw(year{2026} / December / day, minutes(hour * 60 + minute));
}

TEST(Przelewy24Answers, Status) {
  const auto answer = [](int status, const std::string& date = "202612031000") {
    return R"({"data":{"orderId":4295430336,"sessionId":"tx-1","status":)" +
           std::to_string(status) + R"(,"amount":12999,"currency":"PLN","date":")" + date +
           R"("},"responseCode":0})";
  };
  const auto now = warsaw(3, 10, 10);
  auto read = read_status_answer(answer(0), now, 15min);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->state, GatewayState::pending);
  read = read_status_answer(answer(0), warsaw(3, 10, 21), 15min);
  EXPECT_EQ(read->state, GatewayState::failed);
  read = read_status_answer(answer(0), warsaw(3, 10, 21), 0min);
  EXPECT_EQ(read->state, GatewayState::pending);
  read = read_status_answer(answer(0, "garbage"), warsaw(3, 12, 0), 15min);
  EXPECT_EQ(read->state, GatewayState::pending);
  read = read_status_answer(answer(1), now, 15min);
  EXPECT_EQ(read->state, GatewayState::succeeded);
  EXPECT_TRUE(read->needs_verification);
  EXPECT_EQ(read->gateway_reference, "4295430336");
  EXPECT_EQ(read->amount, 12999);
  read = read_status_answer(answer(2), now, 15min);
  EXPECT_EQ(read->state, GatewayState::succeeded);
  EXPECT_FALSE(read->needs_verification);
  read = read_status_answer(answer(3), now, 15min);
  EXPECT_EQ(read->state, GatewayState::refund_succeeded);
  EXPECT_EQ(read_status_answer(answer(7), now, 15min).error().code, Errc::unavailable);
  EXPECT_EQ(read_status_answer("{}", now, 15min).error().code, Errc::unavailable);
}

TEST(Przelewy24Answers, ErrorMessages) {
  EXPECT_EQ(error_message(R"({"error":"Invalid input data","code":400})"), "Invalid input data");
  EXPECT_EQ(
      error_message(
          R"({"error":[{"orderId":1,"status":false,"message":"Transaction not found"}],"code":409})"),
      "Transaction not found");
  EXPECT_EQ(error_message("oops"), "oops");
}

TEST(Przelewy24Answers, OrderIds) {
  EXPECT_EQ(parse_order_id("4295430336"), 4295430336);
  EXPECT_EQ(parse_order_id("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(parse_order_id("9223372036854775808"));
  EXPECT_FALSE(parse_order_id(""));
  EXPECT_FALSE(parse_order_id("-1"));
  EXPECT_FALSE(parse_order_id("0"));
  EXPECT_FALSE(parse_order_id("12a"));
}

TEST(Przelewy24Auth, BasicAuthorization) {
  Przelewy24Credentials credentials;
  // base64("100001:dev-p24-api-key")
  EXPECT_EQ(credentials.basic_authorization(), "Basic MTAwMDAxOmRldi1wMjQtYXBpLWtleQ==");
}

}  // namespace
}  // namespace payment
