#include <gtest/gtest.h>
TEST(StripeSim, Placeholder) {}
