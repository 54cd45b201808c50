#pragma once
// The hosted Checkout page (GET /c/pay/{cs_id}): a small HTML page in Polish with the amount and
// three buttons that POST action=pay|fail|abandon back to the same URL. Pure.
#include <boost/json/object.hpp>
#include <string>

namespace stripe_sim {

std::string render_page(const boost::json::object& session);
// A one-line page for a session that is no longer open or does not exist.
std::string render_notice(std::string_view message);

}  // namespace stripe_sim
