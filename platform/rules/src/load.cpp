#include "platform/rules/load.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace platform::rules::detail {
namespace {

// Aliases let a small file stand for a huge tree ("billion laughs"); a rules file never needs
// more than a few thousand values, so the walk below stops far beyond that.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxVisits = 100'000;

Error invalid(std::string message) {
  return make_error(Errc::invalid, std::move(message), "rules_invalid");
}

std::string at(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

// yaml-cpp keeps both entries of a repeated key and reads the first: the edit a person made to
// the second would be silently ignored, so a repeated key is an error.
void check_keys(const YAML::Node& node, const std::string& file, int depth, std::size_t& visits) {
  if (++visits > kMaxVisits || depth > kMaxDepth) {
    throw RulesError(at(file, node.Mark()) + ": the document is nested too deep or too large");
  }
  if (node.IsSequence()) {
    for (const auto& item : node) check_keys(item, file, depth + 1, visits);
  } else if (node.IsMap()) {
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (entry.first.IsScalar() && !seen.insert(entry.first.Scalar()).second) {
        throw RulesError(at(file, entry.first.Mark()) + ": duplicate key '" + entry.first.Scalar() +
                         "'");
      }
      check_keys(entry.second, file, depth + 1, visits);
    }
  }
}

}  // namespace

Status parse_document(std::string_view text, const std::string& file,
                      const std::function<void(const Node&)>& use) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::ParserException& e) {
    return invalid(at(file, e.mark) + ": YAML syntax error: " + e.msg);
  }
  if (documents.size() > 1) {
    return invalid(at(file, documents[1].Mark()) + ": only one YAML document is allowed");
  }
  const YAML::Node root = documents.empty() ? YAML::Node() : documents.front();
  try {
    std::size_t visits = 0;
    check_keys(root, file, 0, visits);
    use(Node(root, file));
  } catch (const RulesError& e) {
    return invalid(e.what());
  } catch (const YAML::Exception& e) {
    // From a parse function that used Node::yaml() directly (e.g. as<int>() on a word).
    return invalid(at(file, e.mark) + ": " + e.msg);
  }
  return {};
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(Errc::invalid, path + ": cannot read: " + std::strerror(errno),
                      "rules_unreadable");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return make_error(Errc::invalid, path + ": cannot read: " + std::strerror(errno),
                      "rules_unreadable");
  }
  return text.str();
}

}  // namespace platform::rules::detail
