// A helper for stripe_signature_check.py (the stripe Python package as an independent check):
//   stripe_signature_tool sign <secret> <timestamp>     body on stdin → the header on stdout
//   stripe_signature_tool verify <secrets> <header> <now>  body on stdin → exit 0 when it verifies,
//                                                       else 1 with the reason on stdout
// <secrets> is comma-separated, as STRIPE_WEBHOOK_SECRET.
#include <chrono>
#include <iostream>
#include <iterator>
#include <string>

#include "stripe_client.hpp"
#include "stripe_signature.hpp"

int main(int argc, char** argv) {
  using namespace payment::stripe;
  const std::string body((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "sign" && argc == 4) {
    std::cout << signature_header(std::stoll(argv[3]), body, {argv[2]});
    return 0;
  }
  if (command == "verify" && argc == 5) {
    const auto now =
        std::chrono::system_clock::time_point(std::chrono::seconds(std::stoll(argv[4])));
    const auto verified = verify_signature(std::string(argv[3]), body, split_secrets(argv[2]), now,
                                           kDefaultTolerance);
    if (verified) return 0;
    std::cout << verified.error().reason << ": " << verified.error().message;
    return 1;
  }
  std::cerr << "usage: stripe_signature_tool sign <secret> <t> | verify <secrets> <header> <now>\n";
  return 2;
}
