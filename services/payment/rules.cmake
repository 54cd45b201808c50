# The payment rules (config/payment_rules.yaml), which methods a cart can use and at what fee, the
# session's choice following the cart, the delivery method and the rules, and a payment attempt's
# states (transaction.hpp): pure, no I/O.
add_library(payment_rules src/payment_rules.cpp src/availability.cpp src/session.cpp
                          src/transaction.cpp)
target_include_directories(payment_rules PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(payment_rules PUBLIC payment_gateway_api contracts_cpp platform_core
                                            platform_rules)

checkout_test(payment_unit_test
  SOURCES test/unit/payment_rules_test.cpp test/unit/availability_test.cpp
          test/unit/session_test.cpp test/unit/transaction_test.cpp
  DEPS payment_rules platform_rules_test_support contracts_test_support)
target_compile_definitions(payment_unit_test PRIVATE
  PAYMENT_CONFIG_DIR="${CMAKE_CURRENT_SOURCE_DIR}/config")
