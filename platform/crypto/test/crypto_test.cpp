#include "platform/crypto.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crypto = platform::crypto;

namespace {

std::string bytes(std::string_view hex) {
  return crypto::from_hex(hex).value();
}

struct HmacVector {
  const char* name;
  std::string key;
  std::string data;
  const char* sha256;
  const char* sha384;
  const char* sha512;
};

// RFC 4231 section 4 (test case 5 is truncated to 128 bits there; compared as a prefix below).
std::vector<HmacVector> rfc4231() {
  const std::string aa131(131, '\xaa');
  return {
      {"case 1", std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2"
       "fa9cb6",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eae"
       "a3f4e4be9d914eeb61f1702e696c203a126854"},
      {"case 2", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfa"
       "b21649",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8"
       "f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      {"case 3", std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101"
       "a34f27",
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e"
       "67c807b946a337bee8942674278859e13292fb"},
      {"case 4", bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"),
       std::string(50, '\xcd'), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
       "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c6"
       "74cffb",
       "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5"
       "788063a5f19741120c4f2de2adebeb10a298dd"},
      {"case 5 (truncated)", std::string(20, '\x0c'), "Test With Truncation",
       "a3b6167473100ee06e0c796c2955552b", "3abf34c3503b2a23a46efc619baef897",
       "415fad6271580a531d4179bc891d87a6"},
      {"case 6", aa131, "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163"
       "f44952",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d"
       "6a1e5295e64f73f63f0aec8b915a985d786598"},
      {"case 7", aa131,
       "This is a test using a larger than block-size key and a larger than block-size data. The "
       "key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
       "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c"
       "46523e",
       "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3"
       "e4de15134676fb6de0446065c97440fa8c6a58"},
  };
}

// The hex of `mac`, cut to the expected length (RFC 4231 case 5 lists a 128-bit truncation).
std::string hex_prefix(const std::string& mac, std::string_view expected) {
  return crypto::to_hex(mac).substr(0, expected.size());
}

}  // namespace

TEST(Hmac, Rfc4231Vectors) {
  for (const auto& v : rfc4231()) {
    SCOPED_TRACE(v.name);
    const auto mac256 = crypto::hmac_sha256(v.key, v.data);
    const auto mac384 = crypto::hmac_sha384(v.key, v.data);
    const auto mac512 = crypto::hmac_sha512(v.key, v.data);
    EXPECT_EQ(mac256.size(), 32u);
    EXPECT_EQ(mac384.size(), 48u);
    EXPECT_EQ(mac512.size(), 64u);
    EXPECT_EQ(hex_prefix(mac256, v.sha256), v.sha256);
    EXPECT_EQ(hex_prefix(mac384, v.sha384), v.sha384);
    EXPECT_EQ(hex_prefix(mac512, v.sha512), v.sha512);
  }
}

TEST(Hmac, EmptyKeyAndMessage) {
  EXPECT_EQ(crypto::to_hex(crypto::hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(crypto::to_hex(crypto::hmac_sha256(std::string_view{}, std::string_view{})),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// FIPS 180-4 examples (NIST CSRC "Example Values") and RFC 1321 / RFC 3174.
TEST(Digest, NistVectors) {
  const std::string two_block_256 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  const std::string two_block_512 =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlm"
      "nopqrsmnopqrstnopqrstu";

  EXPECT_EQ(crypto::to_hex(crypto::sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(crypto::to_hex(crypto::sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(crypto::to_hex(crypto::sha256(two_block_256)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(crypto::to_hex(crypto::sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

  EXPECT_EQ(
      crypto::to_hex(crypto::sha384("abc")),
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca1"
      "34c825a7");
  EXPECT_EQ(
      crypto::to_hex(crypto::sha384("")),
      "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f1"
      "4898b95b");
  EXPECT_EQ(
      crypto::to_hex(crypto::sha384(two_block_512)),
      "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa"
      "91746039");

  EXPECT_EQ(
      crypto::to_hex(crypto::sha512("abc")),
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23"
      "a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(
      crypto::to_hex(crypto::sha512("")),
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2"
      "877eec2f63b931bd47417a81a538327af927da3e");
  EXPECT_EQ(
      crypto::to_hex(crypto::sha512(two_block_512)),
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99de"
      "c4b5433ac7d329eeb6dd26545e96e55b874be909");

  EXPECT_EQ(crypto::to_hex(crypto::md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(crypto::to_hex(crypto::md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(crypto::to_hex(crypto::md5("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");

  EXPECT_EQ(crypto::to_hex(crypto::sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(crypto::to_hex(crypto::sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(Hex, RoundTripsAndRejectsMalformedText) {
  EXPECT_EQ(crypto::to_hex(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(crypto::from_hex("0001abff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(crypto::from_hex("0001ABFF"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(crypto::from_hex(""), std::string());
  EXPECT_EQ(crypto::from_hex("abc"), std::nullopt);
  EXPECT_EQ(crypto::from_hex("zz"), std::nullopt);
  EXPECT_EQ(crypto::from_hex("0g"), std::nullopt);
  EXPECT_EQ(crypto::from_hex(" 00"), std::nullopt);
}

TEST(Base64, Rfc4648VectorsAndStrictDecoding) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(crypto::base64_encode(plain), encoded);
    EXPECT_EQ(crypto::base64_decode(encoded), std::string(plain));
  }
  // P24: Authorization: Basic base64(posId ":" reportsKey).
  EXPECT_EQ(crypto::base64_encode("12345:secret-key"), "MTIzNDU6c2VjcmV0LWtleQ==");
  const std::string all_bytes = [] {
    std::string s;
    for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
    return s;
  }();
  EXPECT_EQ(crypto::base64_decode(crypto::base64_encode(all_bytes)), all_bytes);

  EXPECT_EQ(crypto::base64_decode("Zg="), std::nullopt);       // length not a multiple of 4
  EXPECT_EQ(crypto::base64_decode("Zg"), std::nullopt);        // padding missing
  EXPECT_EQ(crypto::base64_decode("Z=g="), std::nullopt);      // '=' inside
  EXPECT_EQ(crypto::base64_decode("Zg==Zg=="), std::nullopt);  // padding before the end
  EXPECT_EQ(crypto::base64_decode("Zh=="), std::nullopt);      // non-zero bits left over
  EXPECT_EQ(crypto::base64_decode("Zm9v\n"), std::nullopt);
  EXPECT_EQ(crypto::base64_decode("Zm-v"), std::nullopt);  // base64url is not base64
}

TEST(ConstantTimeEqual, ComparesBytesAndLengths) {
  EXPECT_TRUE(crypto::constant_time_equal("", ""));
  EXPECT_TRUE(crypto::constant_time_equal("abc", "abc"));
  EXPECT_FALSE(crypto::constant_time_equal("abc", "abd"));
  EXPECT_FALSE(crypto::constant_time_equal("abc", "ab"));
  EXPECT_FALSE(crypto::constant_time_equal("", "a"));
  EXPECT_TRUE(crypto::constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(crypto::constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

// The gateways' test vectors, section 6 of shared/reference/payment-gateways.md.

namespace {

// P24: lowercase hex of SHA-384 over the compact JSON (keys in the documented order, crc last).
std::string p24_sign(std::string_view json) {
  return crypto::to_hex(crypto::sha384(json));
}

// PayU: hex of HASH(raw body || second key), a plain concatenation (not an HMAC).
std::string payu_signature(std::string (*hash)(std::string_view), std::string_view body,
                           std::string_view second_key) {
  return crypto::to_hex(hash(std::string(body) + std::string(second_key)));
}

// Stripe: v1 = lowercase hex of HMAC-SHA256(secret, t "." body).
std::string stripe_v1(std::string_view secret, std::string_view t, std::string_view body) {
  return crypto::to_hex(crypto::hmac_sha256(secret, std::string(t) + "." + std::string(body)));
}

}  // namespace

TEST(GatewayVectors, Przelewy24Sign) {
  EXPECT_EQ(p24_sign(R"({"merchantId":12345,"posId":123,"sessionId":"0beec7","amount":1500,)"
                     R"("originAmount":1500,"currency":"PLN","orderId":123456789,"methodId":32,)"
                     R"("statement":"p24-XXX-YYY-ZZZ","crc":"bar"})"),
            "703e946290d92230297c35d3bc8f554d4a458a4c97c9917665929c5ef5e682f7a868ac36e5dff20184c6a"
            "5302ef66c77");
  EXPECT_EQ(p24_sign(R"({"orderId":4295430336,"sessionId":"1e715675-a42b-4d0b-81bb-f7288915be76",)"
                     R"("refundsUuid":"97920952-1d9b-4c90-9238-2b74ae0f48bb","merchantId":235316,)"
                     R"("amount":500,"currency":"PLN","status":0,"crc":"c4816521bf32ed54"})"),
            "dad28db2e0336e595bc313e3c7282ab2ba2f265021f45b85271232901fefd4bc1329fd47aa4eb735ac818"
            "e2b82c4dc24");
  EXPECT_EQ(p24_sign(R"({"sessionId":"sessionId","merchantId":999999,"amount":1000,)"
                     R"("currency":"PLN","crc":"crc"})"),
            "a34cf822f00b51d8d75e2d21334d6ffb5f2fac8408574f4cd7d4897f07ed61312244f9875e18ce63a4fbe"
            "2668d7ffc30");
  EXPECT_EQ(p24_sign(R"({"sessionId":"sessionId","orderId":999999,"amount":1000,)"
                     R"("currency":"PLN","crc":"crc"})"),
            "3edcfa853ade37780fdcd00541b2c266117a7d35fab662ddc26498495c09b048e736f28424b616d2f1fbd"
            "882f6a47f0c");
  // Raw UTF-8 and an unescaped slash; "zam\u00f3wienie\/..." would hash differently.
  EXPECT_EQ(
      p24_sign("{\"sessionId\":\"zam\xc3\xb3wienie/\xc4\x85\xc4\x99-1\",\"merchantId\":999999,"
               "\"amount\":1000,\"currency\":\"PLN\",\"crc\":\"crc\"}"),
      "b5901430dfe858494420c841053cce68732e85afa05e58ccfdd31ba7e22fd87673d26731fcc5bf37eda57"
      "eb0617d0b69");
}

TEST(GatewayVectors, PayUSignature) {
  EXPECT_EQ(payu_signature(crypto::md5, "OpenPayUData", "SignatureKey"),
            "8375034eb737d520c829fad4026a38aa");
  EXPECT_EQ(payu_signature(crypto::sha1, "OpenPayUData", "SignatureKey"),
            "52bb16149d1a5ccc8ac05f8e435c30d82efd5364");
  EXPECT_EQ(payu_signature(crypto::sha256, "OpenPayUData", "SignatureKey"),
            "8b2fd55b48f150347df56ce18d787335f32ced1d67f214016476f7c0a8f09981");
  EXPECT_EQ(payu_signature(crypto::sha384, "OpenPayUData", "SignatureKey"),
            "219a7029f09ae02ee406a623becca9691557cbf503fe58485cb5a08bf1a2a72f745fbc3e8fb1fa80f824b"
            "4f890ad3b35");
  EXPECT_EQ(payu_signature(crypto::sha512, "OpenPayUData", "SignatureKey"),
            "4f658844a6bc4ed3c4320ecae0dc5e414c4fa2ce07563914cd5069f277ddead37be5ca6dc35099ff9d8c1"
            "84bb561bb740f626fdb5162d8f7160dba8ec4ad1d5d");

  // The SDK's form-field signer: sorted "k=urlencode(v)&" pairs, then the key.
  EXPECT_EQ("sender=MerchantPosId;algorithm=SHA-256;signature=" +
                payu_signature(crypto::sha256, "test=OpenPayUData&", "SignatureKey"),
            "sender=MerchantPosId;algorithm=SHA-256;signature="
            "e4c8315c9ab2e097ef1221f3fbd1e761405d961760e538fb2e0055d3d90b5e35");

  const std::string body =
      R"({"order":{"orderId":"LDLW5N7MF4140324GUEST000P01","extOrderId":"ord-1",)"
      R"("status":"COMPLETED","currencyCode":"PLN","totalAmount":"21000"}})";
  const std::string second_key = "b6ca15b0d1020e8094d9b5f8d163db54";
  EXPECT_EQ("sender=checkout;signature=" + payu_signature(crypto::md5, body, second_key) +
                ";algorithm=MD5;content=DOCUMENT",
            "sender=checkout;signature=8d747c3ff76eeaa2da422c5530d442dd;algorithm=MD5;"
            "content=DOCUMENT");
  EXPECT_EQ(payu_signature(crypto::sha256, body, second_key),
            "eaf1a8847c5674229ea5a2ff2911b7ca459134d5eaeae2c1809057adb8d961af");

  // Verifying a received header value compares in constant time; one changed byte fails.
  EXPECT_TRUE(crypto::constant_time_equal(payu_signature(crypto::md5, body, second_key),
                                          "8d747c3ff76eeaa2da422c5530d442dd"));
  EXPECT_FALSE(crypto::constant_time_equal(payu_signature(crypto::md5, body + " ", second_key),
                                           "8d747c3ff76eeaa2da422c5530d442dd"));
}

TEST(GatewayVectors, StripeSignature) {
  const std::string body = R"({"id":"evt_test_webhook","object":"event"})";
  const std::string header =
      "t=1700000000,v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990";
  EXPECT_EQ("t=1700000000,v1=" + stripe_v1("whsec_test_secret", "1700000000", body), header);
  EXPECT_TRUE(crypto::constant_time_equal(
      crypto::hmac_sha256("whsec_test_secret", "1700000000." + body),
      crypto::from_hex("d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990")
          .value()));
  EXPECT_NE(stripe_v1("whsec_test_secret_rolled_key", "1700000000", body),
            "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990");
  EXPECT_NE(stripe_v1("whsec_test_secret", "1700000001", body),
            "d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990");
}
