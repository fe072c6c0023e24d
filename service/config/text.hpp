// Small text helpers shared by the config loader and the security layer.
#pragma once

#include <cctype>
#include <string_view>

namespace kzgd {

// `s` without leading and trailing whitespace (std::isspace: blanks, tabs, line ends).
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace kzgd
