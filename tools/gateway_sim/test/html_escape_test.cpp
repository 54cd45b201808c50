// What the hosted pages escape.
#include "gateway_sim/html_escape.hpp"

#include <gtest/gtest.h>

namespace gateway_sim {
namespace {

TEST(HtmlEscape, EscapesTheFiveCharacters) {
  EXPECT_EQ(html_escape(R"(<a href="x">Tom & Jerry's</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(html_escape("Zapłać 129,99 zł"), "Zapłać 129,99 zł");
  EXPECT_EQ(html_escape(""), "");
}

}  // namespace
}  // namespace gateway_sim
