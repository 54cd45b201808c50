#include "platform/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace platform {
namespace {

TEST(JsonWriter, WritesNestedDocumentsWithCommasInTheRightPlaces) {
  JsonWriter out;
  out.begin_object().key("a").value(std::int64_t{-12}).key("b").begin_array();
  out.value("x").begin_object().end_object().begin_array().end_array().null().value(true);
  out.end_array().key("c").begin_object().key("d").value(false).end_object().end_object();
  EXPECT_EQ(out.text(), R"({"a":-12,"b":["x",{},[],null,true],"c":{"d":false}})");
}

TEST(JsonWriter, AnOptionalIsItsTextOrNull) {
  JsonWriter out;
  out.begin_array().value_or_null(std::nullopt).value_or_null(std::string("y")).end_array();
  EXPECT_EQ(out.text(), R"([null,"y"])");
}

TEST(JsonWriter, EscapesWhatJsonRequiresAndKeepsUtf8) {
  const std::string tricky = "Pralka \"slim\" 7 kg\\ zażółć\n\t\x01 end";
  JsonWriter out;
  out.begin_object().key("name\"").value(tricky).end_object();
  const auto parsed = boost::json::parse(out.text());
  EXPECT_EQ(parsed.at("name\"").as_string(), tricky);
  EXPECT_NE(out.text().find("\\u0001"), std::string::npos);
  EXPECT_NE(out.text().find("zażółć"), std::string::npos);
}

TEST(JsonWriter, EscapesACharacterAtEveryPositionOfAWord) {
  // The writer scans eight bytes at a time: put the special byte at each offset of two words.
  for (const char special : {'"', '\\', '\n', '\x1f'}) {
    for (std::size_t at = 0; at < 17; ++at) {
      std::string text(17, 'a');
      text[at] = special;
      text += "\xc5\x82";  // "ł": bytes above 0x7f pass through
      JsonWriter out;
      out.value(text);
      EXPECT_EQ(boost::json::parse(out.text()).as_string(), text) << int(special) << " at " << at;
    }
  }
}

TEST(JsonWriter, RawValuesAndLimitsOfIntegers) {
  JsonWriter out;
  out.begin_array().raw(R"({"k":1})").value(std::int64_t{INT64_MIN}).value(std::int64_t{INT64_MAX});
  out.end_array();
  EXPECT_EQ(std::move(out).take(), R"([{"k":1},-9223372036854775808,9223372036854775807])");
}

}  // namespace
}  // namespace platform
