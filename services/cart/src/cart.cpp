#include "cart.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>

namespace cart {
namespace {
using platform::Errc;
using platform::make_error;

// Every change is one event and one version step.
Outcome finish(Cart cart, std::vector<Change> changes, std::string item_id) {
  cart.version += static_cast<std::int64_t>(changes.size());
  return Outcome{std::move(cart), std::move(changes), std::move(item_id)};
}

platform::Error quantity_error(const Limits& limits) {
  return make_error(Errc::invalid,
                    "quantity must be between " + std::to_string(limits.min_quantity) + " and " +
                        std::to_string(limits.max_quantity),
                    "quantity_out_of_range");
}

CartLine* find_mutable(Cart& cart, std::string_view item_id) {
  auto it = std::find_if(cart.lines.begin(), cart.lines.end(),
                         [&](const CartLine& l) { return l.item_id == item_id; });
  return it == cart.lines.end() ? nullptr : &*it;
}

platform::Status check_parent(const Cart& cart, const AddLine& command, const Product& product) {
  if (command.type == LineType::service) {
    if (!product.is_service()) {
      return make_error(Errc::invalid, "sku " + product.sku + " is not a service", "not_a_service");
    }
    if (product.has_flag("standalone")) {
      if (command.parent_item_id) {
        return make_error(Errc::invalid, "service " + product.sku + " is standalone: no parent",
                          "standalone_service_with_parent");
      }
      return {};
    }
    if (!command.parent_item_id) {
      return make_error(Errc::invalid, "service " + product.sku + " needs parent_item_id",
                        "parent_required");
    }
  } else if (product.is_service()) {
    return make_error(Errc::invalid, "sku " + product.sku + " is a service: use type=service",
                      "wrong_line_type");
  } else if (command.type == LineType::offer && command.parent_item_id) {
    return make_error(Errc::invalid, "an offer cannot have a parent", "offer_with_parent");
  }
  if (command.parent_item_id) {
    const auto* parent = cart.find(*command.parent_item_id);
    if (parent == nullptr) {
      return make_error(Errc::invalid, "parent line " + *command.parent_item_id + " not found",
                        "parent_not_found");
    }
    if (parent->type == LineType::service) {
      return make_error(Errc::invalid, "a service cannot be a parent", "parent_is_service");
    }
  }
  return {};
}
}  // namespace

std::string_view to_string(LineType type) {
  switch (type) {
    case LineType::offer:
      return "offer";
    case LineType::accessory:
      return "accessory";
    case LineType::service:
      return "service";
  }
  return "offer";
}

std::string_view to_string(StockStatus status) {
  switch (status) {
    case StockStatus::unknown:
      return "unknown";
    case StockStatus::in_stock:
      return "in_stock";
    case StockStatus::low_stock:
      return "low_stock";
    case StockStatus::out_of_stock:
      return "out_of_stock";
  }
  return "unknown";
}

std::string_view to_string(Enrichment enrichment) {
  return enrichment == Enrichment::pending ? "pending" : "enriched";
}

std::string_view to_string(Validation validation) {
  return validation == Validation::validated ? "validated" : "not_yet_validated";
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added:
      return "added";
    case ChangeKind::removed:
      return "removed";
    case ChangeKind::quantity_changed:
      return "quantity_changed";
    case ChangeKind::price_changed:
      return "price_changed";
    case ChangeKind::stock_changed:
      return "stock_changed";
    case ChangeKind::validated:
      return "validated";
  }
  return "added";
}

std::optional<LineType> line_type_from(std::string_view text) {
  for (auto type : {LineType::offer, LineType::accessory, LineType::service}) {
    if (to_string(type) == text) return type;
  }
  return std::nullopt;
}

std::optional<StockStatus> stock_status_from(std::string_view text) {
  for (auto status : {StockStatus::unknown, StockStatus::in_stock, StockStatus::low_stock,
                      StockStatus::out_of_stock}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

const CartLine* Cart::find(std::string_view item_id) const {
  auto it = std::find_if(lines.begin(), lines.end(),
                         [&](const CartLine& l) { return l.item_id == item_id; });
  return it == lines.end() ? nullptr : &*it;
}

std::vector<const CartLine*> Cart::children_of(std::string_view item_id) const {
  std::vector<const CartLine*> out;
  for (const auto& line : lines) {
    if (line.parent_item_id == item_id) out.push_back(&line);
  }
  return out;
}

std::int64_t Cart::item_count() const {
  std::int64_t count = 0;
  for (const auto& line : lines) count += line.quantity;
  return count;
}

platform::Money Cart::subtotal() const {
  platform::Money sum = platform::pln(0);
  for (const auto& line : lines) sum = sum + line.line_total();
  return sum;
}

std::string Cart::content_hash() const {
  // FNV-1a 64 over a canonical listing sorted by item id, one "id|type|sku|qty|parent|price\n"
  // per line; a cache key, not a security digest. Hashed piece by piece: no string is built.
  std::vector<const CartLine*> sorted;
  sorted.reserve(lines.size());
  for (const auto& line : lines) sorted.push_back(&line);
  std::sort(sorted.begin(), sorted.end(),
            [](const CartLine* a, const CartLine* b) { return a->item_id < b->item_id; });
  std::uint64_t hash = 1469598103934665603ULL;
  const auto feed = [&hash](std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
  };
  const auto feed_number = [&feed](std::int64_t number) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), number).ptr;
    feed(std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
  };
  for (const auto* line : sorted) {
    feed(line->item_id);
    feed("|");
    feed(to_string(line->type));
    feed("|");
    feed(line->sku);
    feed("|");
    feed_number(line->quantity);
    feed("|");
    feed(line->parent_item_id ? std::string_view(*line->parent_item_id) : std::string_view());
    feed("|");
    feed_number(line->unit_price.amount);
    feed("\n");
  }
  std::array<char, 17> text{};
  std::snprintf(text.data(), text.size(), "%016llx", static_cast<unsigned long long>(hash));
  return {text.data(), 16};
}

StockStatus stock_status_for(std::int64_t stock, std::int64_t quantity,
                             std::int64_t low_stock_threshold) {
  if (stock <= 0 || stock < quantity) return StockStatus::out_of_stock;
  if (stock <= low_stock_threshold) return StockStatus::low_stock;
  return StockStatus::in_stock;
}

platform::Result<Outcome> add_line(const Cart& cart, const AddLine& command, const Product& product,
                                   const Limits& limits, const IdGenerator& new_id) {
  if (command.quantity < limits.min_quantity || command.quantity > limits.max_quantity) {
    return quantity_error(limits);
  }
  if (auto status = check_parent(cart, command, product); !status) return status.error();
  if (command.type == LineType::service) {
    if (const auto* refusal = refusal_for(cart, command.parent_item_id, product.sku)) {
      return make_error(Errc::invalid, refusal->reason.message, refusal->reason.code);
    }
  }

  Cart next = cart;
  // The same sku of the same type under the same parent is one line with a larger quantity.
  for (auto& line : next.lines) {
    if (line.sku == command.sku && line.type == command.type &&
        line.parent_item_id == command.parent_item_id) {
      const auto merged = line.quantity + command.quantity;
      if (merged > limits.max_quantity) return quantity_error(limits);
      const auto old_quantity = line.quantity;
      line.quantity = merged;
      // The Services check the new quantity of a service line again.
      if (line.type == LineType::service) line.validation = Validation::not_yet_validated;
      Change change{ChangeKind::quantity_changed,
                    line,
                    old_quantity,
                    std::nullopt,
                    std::nullopt,
                    std::nullopt};
      auto id = line.item_id;
      return finish(std::move(next), {std::move(change)}, std::move(id));
    }
  }
  if (next.lines.size() >= limits.max_lines) {
    return make_error(Errc::invalid,
                      "a cart holds at most " + std::to_string(limits.max_lines) + " lines",
                      "too_many_lines");
  }
  CartLine line;
  line.item_id = new_id();
  line.type = command.type;
  line.sku = product.sku;
  line.name = product.name;
  line.category = product.category;
  line.unit_price = product.price;
  line.quantity = command.quantity;
  line.parent_item_id = command.parent_item_id;
  line.weight_g = product.weight_g;
  line.dimensions_mm = product.dimensions_mm;
  line.flags = product.flags;
  line.validation =
      command.type == LineType::service ? Validation::not_yet_validated : Validation::validated;
  next.lines.push_back(line);
  auto id = line.item_id;
  return finish(std::move(next), {Change{ChangeKind::added, std::move(line), 0, {}, {}, {}}},
                std::move(id));
}

platform::Result<Outcome> remove_line(const Cart& cart, std::string_view item_id) {
  const auto* target = cart.find(item_id);
  if (target == nullptr) {
    return make_error(Errc::not_found, "no line " + std::string(item_id) + " in your cart",
                      "line_not_found");
  }
  std::vector<Change> changes;
  // Children go first so that no consumer ever sees a child whose parent is already gone.
  for (const auto* child : cart.children_of(item_id)) {
    changes.push_back(Change{ChangeKind::removed, *child, 0, {}, std::string(item_id), {}});
  }
  changes.push_back(Change{ChangeKind::removed, *target, 0, {}, {}, {}});
  Cart next = cart;
  std::erase_if(next.lines, [&](const CartLine& l) {
    return l.item_id == item_id || l.parent_item_id == item_id;
  });
  return finish(std::move(next), std::move(changes), std::string(item_id));
}

platform::Result<Outcome> change_quantity(const Cart& cart, std::string_view item_id,
                                          std::int64_t quantity, const Limits& limits) {
  if (quantity < limits.min_quantity || quantity > limits.max_quantity) {
    return quantity_error(limits);
  }
  Cart next = cart;
  auto* line = find_mutable(next, item_id);
  if (line == nullptr) {
    return make_error(Errc::not_found, "no line " + std::string(item_id) + " in your cart",
                      "line_not_found");
  }
  if (line->quantity == quantity) return Outcome{std::move(next), {}, std::string(item_id)};
  const auto old_quantity = line->quantity;
  line->quantity = quantity;
  if (line->type == LineType::service) line->validation = Validation::not_yet_validated;
  std::vector<Change> changes{
      Change{ChangeKind::quantity_changed, *line, old_quantity, {}, {}, {}}};
  // Its services follow it down, after it (a consumer never sees a service outnumber its line).
  for (auto& child : next.lines) {
    if (child.parent_item_id != item_id || child.type != LineType::service ||
        child.quantity <= quantity) {
      continue;
    }
    const auto child_old = child.quantity;
    child.quantity = quantity;
    changes.push_back(Change{ChangeKind::quantity_changed, child, child_old, {}, {}, {}});
  }
  return finish(std::move(next), std::move(changes), std::string(item_id));
}

Outcome apply_catalog(const Cart& cart, const Product& product, std::int64_t low_stock_threshold) {
  Cart next = cart;
  std::vector<Change> changes;
  for (auto& line : next.lines) {
    if (line.sku != product.sku) continue;
    line.enrichment = Enrichment::enriched;
    // A validated service line has the Services' price (their rules own it), not the catalog's.
    const bool rules_priced =
        line.type == LineType::service && line.validation == Validation::validated;
    if (!rules_priced && line.unit_price != product.price) {
      const auto old_price = line.unit_price;
      // Keep the price the customer first saw through several changes until acknowledged.
      const auto first_seen = line.price_change ? line.price_change->old_unit_price : old_price;
      line.unit_price = product.price;
      line.price_change = first_seen == product.price
                              ? std::nullopt
                              : std::optional(PriceChange{first_seen, product.price});
      changes.push_back(Change{ChangeKind::price_changed, line, 0, old_price, {}, {}});
    }
    if (line.type != LineType::service) {
      const auto status = stock_status_for(product.stock, line.quantity, low_stock_threshold);
      // A line is presumed available when added, so the first "in stock" is no news: only
      // low/out of stock and recoveries from them are announced.
      const bool news =
          !(line.stock_status == StockStatus::unknown && status == StockStatus::in_stock);
      if (status != line.stock_status) {
        line.stock_status = status;
        if (news) changes.push_back(Change{ChangeKind::stock_changed, line, 0, {}, {}, {}});
      }
    }
  }
  return finish(std::move(next), std::move(changes), {});
}

platform::Result<Cart> acknowledge_price_changes(const Cart& cart,
                                                 const std::vector<std::string>& item_ids) {
  Cart next = cart;
  for (const auto& item_id : item_ids) {
    auto line = std::find_if(next.lines.begin(), next.lines.end(),
                             [&](const CartLine& l) { return l.item_id == item_id; });
    if (line == next.lines.end()) {
      return make_error(Errc::invalid, "no line " + item_id + " in your cart", "unknown_line");
    }
    if (!line->price_change) {
      return make_error(Errc::invalid, "line " + item_id + " has no price change to acknowledge",
                        "no_price_change");
    }
    line->price_change.reset();
  }
  return next;
}

const ServiceRefusal* refusal_for(const Cart& cart,
                                  const std::optional<std::string>& parent_item_id,
                                  std::string_view sku) {
  for (const auto& refusal : cart.service_refusals) {
    if (refusal.sku == sku && refusal.parent_item_id == parent_item_id) return &refusal;
  }
  return nullptr;
}

namespace {
// The line kept as the verdict says: nullopt when nothing moves.
std::optional<Change> keep_line(CartLine& line, const ServiceVerdict& verdict) {
  const auto quantity = std::min(line.quantity, std::max<std::int64_t>(verdict.quantity, 1));
  if (line.validation == Validation::validated && line.unit_price == verdict.unit_price &&
      line.quantity == quantity) {
    return std::nullopt;
  }
  const auto old_price = line.unit_price;
  const auto old_quantity = line.quantity;
  if (line.unit_price != verdict.unit_price) {
    const auto first_seen = line.price_change ? line.price_change->old_unit_price : old_price;
    line.unit_price = verdict.unit_price;
    line.price_change = first_seen == verdict.unit_price
                            ? std::nullopt
                            : std::optional(PriceChange{first_seen, verdict.unit_price});
  }
  line.quantity = quantity;
  line.validation = Validation::validated;
  std::optional<Reason> reason;
  if (quantity < old_quantity) reason = verdict.reason;
  return Change{ChangeKind::validated, line, old_quantity, old_price, {}, std::move(reason)};
}
}  // namespace

Outcome apply_services_verdict(const Cart& cart, const ServicesVerdict& verdict) {
  if (verdict.session_id != cart.session_id || verdict.services_version <= cart.services_version) {
    return Outcome{cart, {}, {}};
  }
  Cart next = cart;
  next.services_version = verdict.services_version;
  next.service_refusals = verdict.refusals;
  std::vector<Change> changes;
  if (verdict.cart_version == cart.version) {
    for (const auto& said : verdict.lines) {
      auto* line = find_mutable(next, said.item_id);
      if (line == nullptr || line->type != LineType::service || line->sku != said.sku) continue;
      if (said.allowed) {
        if (auto change = keep_line(*line, said)) changes.push_back(std::move(*change));
        continue;
      }
      const auto reason = said.reason.value_or(Reason{"not_allowed", "Usługa jest niedostępna."});
      next.notices.push_back(Notice{line->item_id, line->sku, line->name, reason});
      changes.push_back(Change{ChangeKind::removed, *line, 0, {}, {}, reason});
      std::erase_if(next.lines, [&](const CartLine& held) { return held.item_id == said.item_id; });
    }
    if (next.notices.size() > kMaxNotices) {
      next.notices.erase(next.notices.begin(),
                         next.notices.end() - static_cast<std::ptrdiff_t>(kMaxNotices));
    }
  }
  return finish(std::move(next), std::move(changes), {});
}

namespace {
// How many parents a line has above it in `cart` (0: none); -1 when its chain of parents breaks
// off (a parent the cart does not hold) or loops.
int depth_of(const Cart& cart, const CartLine& line) {
  int depth = 0;
  const CartLine* at = &line;
  while (at->parent_item_id) {
    at = cart.find(*at->parent_item_id);
    if (at == nullptr || ++depth > static_cast<int>(cart.lines.size())) return -1;
  }
  return depth;
}

// The guest's lines, parents before their children (by depth, then in the cart's order); lines
// whose parents are missing come first, with depth -1.
std::vector<std::pair<int, const CartLine*>> parents_first(const Cart& cart) {
  std::vector<std::pair<int, const CartLine*>> order;
  order.reserve(cart.lines.size());
  for (const auto& line : cart.lines) order.emplace_back(depth_of(cart, line), &line);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return order;
}

// Places the guest's lines into the user's cart (see merge_carts).
class Merger {
 public:
  Merger(Cart user, const Limits& limits, const IdGenerator& new_id)
      : next_(std::move(user)), limits_(limits), new_id_(new_id) {}

  void place(int depth, const CartLine& line) {
    std::optional<std::string> parent;
    if (line.parent_item_id) {
      if (left_.contains(*line.parent_item_id)) {
        return leave(line, "parent_left_out",
                     "Produkt, do którego należy ta pozycja, nie zmieścił się w koszyku.");
      }
      const auto at = placed_.find(*line.parent_item_id);
      if (depth < 0 || at == placed_.end()) {
        return leave(line, "parent_not_found",
                     "Produktu, do którego należała ta pozycja, nie ma już w koszyku.");
      }
      parent = at->second;
    }
    if (line.type == LineType::service) {
      if (const auto* refusal = refusal_for(next_, parent, line.sku)) {
        return leave(line, refusal->reason.code, refusal->reason.message);
      }
    }
    // The most the line may hold: a service never outnumbers the line it is for.
    auto most = limits_.max_quantity;
    if (line.type == LineType::service && parent) {
      most = std::min(most, next_.find(*parent)->quantity);
    }
    auto held = std::find_if(next_.lines.begin(), next_.lines.end(), [&](const CartLine& l) {
      return l.sku == line.sku && l.type == line.type && l.parent_item_id == parent;
    });
    if (held != next_.lines.end()) return add_to(*held, line, most);
    if (next_.lines.size() >= limits_.max_lines) {
      return leave(line, "too_many_lines",
                   "Koszyk mieści najwyżej " + std::to_string(limits_.max_lines) +
                       " pozycji: ta już się nie zmieściła.");
    }
    CartLine copy = line;
    copy.item_id = new_id_();
    copy.parent_item_id = parent;
    copy.quantity = std::min(line.quantity, most);
    // The Warranty and the Promotion publish these for the new line themselves.
    copy.warranties.clear();
    copy.promotions.clear();
    if (copy.type == LineType::service) copy.validation = Validation::not_yet_validated;
    next_.lines.push_back(copy);
    placed_[line.item_id] = copy.item_id;
    merged_.push_back(merged_line(line, copy, copy.quantity, true));
    changes_.push_back(Change{ChangeKind::added, std::move(copy), 0, {}, {}, {}});
  }

  Cart& cart() { return next_; }
  std::vector<Change>& changes() { return changes_; }
  std::vector<MergedLine>& merged() { return merged_; }
  std::vector<LeftOutLine>& left_out() { return left_out_; }

 private:
  void add_to(CartLine& held, const CartLine& line, std::int64_t most) {
    const auto added = std::min(line.quantity, std::max<std::int64_t>(0, most - held.quantity));
    placed_[line.item_id] = held.item_id;
    merged_.push_back(merged_line(line, held, added, false));
    if (added == 0) return;
    const auto old_quantity = held.quantity;
    held.quantity += added;
    // The Services check the new quantity of a service line again.
    if (held.type == LineType::service) held.validation = Validation::not_yet_validated;
    changes_.push_back(Change{ChangeKind::quantity_changed, held, old_quantity, {}, {}, {}});
  }

  static MergedLine merged_line(const CartLine& from, const CartLine& into, std::int64_t added,
                                bool new_line) {
    return MergedLine{from.item_id,        into.item_id,  from.type, from.sku, from.name,
                      into.parent_item_id, from.quantity, added,     new_line};
  }

  void leave(const CartLine& line, std::string code, std::string message) {
    left_.insert(line.item_id);
    left_out_.push_back(LeftOutLine{line.item_id, line.type, line.sku, line.name, line.quantity,
                                    Reason{std::move(code), std::move(message)}});
  }

  Cart next_;
  const Limits& limits_;
  const IdGenerator& new_id_;
  std::map<std::string, std::string, std::less<>> placed_;  // guest line -> user line
  std::set<std::string, std::less<>> left_;                 // guest lines left out
  std::vector<Change> changes_;
  std::vector<MergedLine> merged_;
  std::vector<LeftOutLine> left_out_;
};
}  // namespace

MergeOutcome merge_carts(const Cart& user, const Cart& guest, const Limits& limits,
                         const IdGenerator& new_id) {
  if (guest.lines.empty())
    return MergeOutcome{Outcome{user, {}, {}}, Outcome{guest, {}, {}}, {}, {}};
  const auto order = parents_first(guest);
  Merger merger(user, limits, new_id);
  for (const auto& [depth, line] : order) merger.place(depth, *line);

  MergeOutcome out;
  out.merged = std::move(merger.merged());
  out.left_out = std::move(merger.left_out());
  out.user = finish(std::move(merger.cart()), std::move(merger.changes()), {});
  if (out.announces()) out.user.cart.version += 1;  // the CartMerged event after the changes

  // The guest's cart empties, children first, each removed with its parent.
  std::vector<Change> removals;
  removals.reserve(order.size());
  const std::vector<std::pair<int, const CartLine*>> children_first(order.rbegin(), order.rend());
  for (const auto& [depth, line] : children_first) {
    std::optional<std::string> with_parent;
    if (depth > 0) with_parent = line->parent_item_id;
    removals.push_back(Change{ChangeKind::removed, *line, 0, {}, std::move(with_parent), {}});
  }
  Cart emptied = guest;
  emptied.lines.clear();
  out.guest = finish(std::move(emptied), std::move(removals), {});
  return out;
}

Cart end_session(const Cart& cart, std::string_view session_id) {
  if (cart.session_id.empty() || cart.session_id != session_id) return cart;
  Cart next;
  next.user_id = cart.user_id;
  return next;
}

}  // namespace cart
