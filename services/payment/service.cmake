# The service around the pure part: the attempts' store (PostgreSQL), the session's choice
# (Redis), events, use cases, HTTP routes, and the binary. Included by CMakeLists.txt.
add_library(payment_app src/transaction.cpp src/transaction_events.cpp src/payment_store.cpp
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
