# The service around the pure part: the attempts' store (PostgreSQL), the session's choice
# (Redis), events, use cases, HTTP routes, and the binary. Included by CMakeLists.txt.
add_library(payment_app src/transaction_events.cpp src/payment_store.cpp
                        src/payments.cpp src/session_store.cpp src/session_events.cpp
                        src/choice_service.cpp src/order_intake.cpp src/config.cpp
                        src/http_api.cpp)
target_link_libraries(payment_app PUBLIC payment_rules payment_gateway_api platform_http
                                         platform_redis platform_outbox platform_pg
                                         platform_idempotency platform_crypto platform_metrics
                                         Boost::json)
target_compile_definitions(payment_app PRIVATE
  PAYMENT_DEFAULT_RULES_FILE="${CMAKE_CURRENT_SOURCE_DIR}/config/payment_rules.yaml"
  PAYMENT_DEFAULT_MIGRATIONS_DIR="${CMAKE_CURRENT_SOURCE_DIR}/migrations")

add_executable(payment_service main.cpp)
target_include_directories(payment_service PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(payment_service PRIVATE payment_app payment_przelewy24 payment_payu
                                              payment_stripe platform_app platform_asio
                                              platform_allocator platform_rules platform_httpclient
                                              platform_loop)

checkout_test(payment_integration_test
  SOURCES test/integration/payment_harness.cpp test/integration/payment_flow_test.cpp
          test/integration/payment_choice_test.cpp test/integration/payment_cancel_test.cpp
  DEPS payment_app contracts_test_support platform_testing_infra platform_app platform_kafka
  LABELS integration)
target_compile_definitions(payment_integration_test PRIVATE
  PAYMENT_SERVICE_BINARY="$<TARGET_FILE:payment_service>"
  PRZELEWY24_SIM_BINARY="$<TARGET_FILE:przelewy24_sim>"
  PAYU_SIM_BINARY="$<TARGET_FILE:payu_sim>"
  STRIPE_SIM_BINARY="$<TARGET_FILE:stripe_sim>"
  CHECKOUT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_dependencies(payment_integration_test payment_service przelewy24_sim payu_sim stripe_sim)
# Every payment_service instance on the test Redis shares the stream outbox:payment and its
# relay lease: never beside the Payment's contract test.
set_tests_properties(payment_integration_test PROPERTIES RESOURCE_LOCK outbox_payment)
