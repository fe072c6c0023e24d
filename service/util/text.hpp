// Small text helpers shared by the config loader, the security layer and the tool: one trim, one splitter for
// the comma-separated lists of the configuration ("a, b, c").
#pragma once

#include <cctype>
#include <string_view>
#include <vector>

namespace kzgd {

// `s` without leading and trailing whitespace (std::isspace: blanks, tabs, line ends).
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The items of a comma-separated list, each trimmed (views into `list`). A blank list has no items; an empty
// item between two commas stays, as "", for the caller to refuse; a trailing comma adds none.
inline std::vector<std::string_view> split_list(std::string_view list) {
  std::vector<std::string_view> items;
  list = trim(list);
  while (!list.empty()) {
    const auto comma = list.find(',');
    items.push_back(trim(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return items;
}

}  // namespace kzgd
