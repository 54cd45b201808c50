#pragma once
// An order as the routes answer it (contracts/openapi/checkout.yaml: OrderBrief, and Order with
// its history and document) and as the summary of a just-ordered session shows it. Pure.
#include <string>
#include <vector>

#include "order_store.hpp"

namespace checkout {

// OrderBrief without `history`; Order (with `history` and `order`, the document) with it.
std::string order_json(const OrderRow& order, const std::vector<HistoryEntry>* history);

}  // namespace checkout
