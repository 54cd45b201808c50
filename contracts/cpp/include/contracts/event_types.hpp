#pragma once
// The CloudEvents type (ce_type) of every event in contracts/events/, by topic. Each equals its
// schema file name; tools/contracts/test_contracts.py checks that this list and the schemas agree.
#include <string_view>

namespace contracts::event_type {

// cart-events
inline constexpr std::string_view kCartItemAdded = "CartItemAdded";
inline constexpr std::string_view kCartItemPriceChanged = "CartItemPriceChanged";
inline constexpr std::string_view kCartItemQuantityChanged = "CartItemQuantityChanged";
inline constexpr std::string_view kCartItemRemoved = "CartItemRemoved";
inline constexpr std::string_view kCartItemStockChanged = "CartItemStockChanged";
inline constexpr std::string_view kCartItemValidated = "CartItemValidated";
inline constexpr std::string_view kCartMerged = "CartMerged";

// catalog-events
inline constexpr std::string_view kCatalogPriceChanged = "CatalogPriceChanged";
inline constexpr std::string_view kCatalogProductUpserted = "CatalogProductUpserted";
inline constexpr std::string_view kCatalogStockChanged = "CatalogStockChanged";

// shipping-events
inline constexpr std::string_view kDeliveryDateSelected = "DeliveryDateSelected";
inline constexpr std::string_view kShippingAddonsSelected = "ShippingAddonsSelected";
inline constexpr std::string_view kShippingAddressProvided = "ShippingAddressProvided";
inline constexpr std::string_view kShippingMethodSelected = "ShippingMethodSelected";
inline constexpr std::string_view kShippingMethodCleared = "ShippingMethodCleared";

// payment-events
inline constexpr std::string_view kPaymentFailed = "PaymentFailed";
inline constexpr std::string_view kPaymentInitialized = "PaymentInitialized";
inline constexpr std::string_view kPaymentMethodCleared = "PaymentMethodCleared";
inline constexpr std::string_view kPaymentMethodSelected = "PaymentMethodSelected";
inline constexpr std::string_view kPaymentPending = "PaymentPending";
inline constexpr std::string_view kPaymentRefunded = "PaymentRefunded";
inline constexpr std::string_view kPaymentSucceeded = "PaymentSucceeded";

// checkout-events
inline constexpr std::string_view kCheckoutCompleted = "CheckoutCompleted";
inline constexpr std::string_view kConsentsGiven = "ConsentsGiven";
inline constexpr std::string_view kCustomerDataProvided = "CustomerDataProvided";
inline constexpr std::string_view kOrderCancelled = "OrderCancelled";
inline constexpr std::string_view kOrderCreated = "OrderCreated";

// promotion-events
inline constexpr std::string_view kPromoCodeApplied = "PromoCodeApplied";
inline constexpr std::string_view kPromoCodeInvalid = "PromoCodeInvalid";
inline constexpr std::string_view kPromotionApplied = "PromotionApplied";
inline constexpr std::string_view kPromotionRemoved = "PromotionRemoved";

// services-events
inline constexpr std::string_view kServiceAvailabilityCalculated = "ServiceAvailabilityCalculated";

// warranty-events
inline constexpr std::string_view kWarrantyRemoved = "WarrantyRemoved";
inline constexpr std::string_view kWarrantySelected = "WarrantySelected";

}  // namespace contracts::event_type
