#pragma once
// The Kafka topics of contracts/asyncapi.yaml, their partition counts and the CloudEvents source
// of each producer, named once for every service, the catalog import and the tests.
// tools/contracts/test_contracts.py checks this file against the AsyncAPI document.
#include <string_view>

namespace contracts {

inline constexpr std::string_view kCartTopic = "cart-events";
inline constexpr std::string_view kCatalogTopic = "catalog-events";
inline constexpr std::string_view kShippingTopic = "shipping-events";
inline constexpr std::string_view kPaymentTopic = "payment-events";
inline constexpr std::string_view kCheckoutTopic = "checkout-events";
inline constexpr std::string_view kPromotionTopic = "promotion-events";
inline constexpr std::string_view kServicesTopic = "services-events";
inline constexpr std::string_view kWarrantyTopic = "warranty-events";

// Every topic has this many partitions (the key is the session id, or the sku on catalog-events,
// so more partitions let more sessions go side by side); its dead-letter twin "<topic>.dlq" has
// one (dead letters are rare and read by people in order).
inline constexpr int kTopicPartitions = 6;
inline constexpr int kDeadLetterPartitions = 1;

// ce_source of each producer: "/checkout/<service>".
inline constexpr std::string_view kCartSource = "/checkout/cart";
inline constexpr std::string_view kCatalogImportSource = "/checkout/catalog-import";
inline constexpr std::string_view kShippingSource = "/checkout/shipping";
inline constexpr std::string_view kPaymentSource = "/checkout/payment";
inline constexpr std::string_view kCheckoutSource = "/checkout/checkout";
inline constexpr std::string_view kPromotionSource = "/checkout/promotion";
inline constexpr std::string_view kServicesSource = "/checkout/services";
inline constexpr std::string_view kWarrantySource = "/checkout/warranty";

}  // namespace contracts
