# The service around the pure part: session rules, code usage, events, Redis store, use cases,
# HTTP routes, and the binary. Included by CMakeLists.txt.
add_library(promotion_app src/session.cpp src/codes.cpp src/events.cpp src/store.cpp
                          src/config.cpp src/promotion_service.cpp src/http_api.cpp)
target_link_libraries(promotion_app PUBLIC promotion_rules platform_http platform_redis
                                           platform_outbox platform_metrics Boost::json)
target_compile_definitions(promotion_app PRIVATE
  PROMOTION_DEFAULT_RULES_FILE="${CMAKE_CURRENT_SOURCE_DIR}/config/promotion_rules.yaml")

add_executable(promotion_service main.cpp)
target_link_libraries(promotion_service PRIVATE promotion_app platform_app platform_asio
                                                platform_allocator platform_rules)

checkout_test(promotion_integration_test
  SOURCES test/integration/promotion_service_test.cpp
  DEPS promotion_app contracts_test_support platform_testing_infra platform_app platform_kafka
  LABELS integration)
target_compile_definitions(promotion_integration_test PRIVATE
  PROMOTION_SERVICE_BINARY="$<TARGET_FILE:promotion_service>"
  CHECKOUT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_dependencies(promotion_integration_test promotion_service)
# Every promotion_service instance on the test Redis shares the stream outbox:promotion and its
# relay lease: never beside the Promotion's contract test. It also publishes promotions for every
# cart it follows, which the Cart shows (promotion_events: never beside the Cart's tests).
set_tests_properties(promotion_integration_test PROPERTIES
  RESOURCE_LOCK "outbox_promotion;promotion_events")
