// Configuration values from text: the parsers every component's keys share (numbers in a range, byte counts,
// booleans), each with the error message a user sees. No component's types appear here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.hpp"
#include "service/util/text.hpp"

namespace kzgd::config {

// A parsed value, or why the text is not one (the message names the expected form and quotes the text).
template <class T>
struct TextValue {
  std::optional<T> value;
  std::string why;

  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const std::string& error() const { return why; }
};

// "\"text\"", for messages.
std::string quoted(std::string_view text);
// The shortest decimal form of a number (1, 0.25, 1e+06).
std::string number_text(double v);

// Digits only, in [min, max].
TextValue<std::uint64_t> parse_integer(std::string_view text, std::uint64_t min, std::uint64_t max);
// A decimal number in [min, max]; `what` names it in the message ("a percentage").
TextValue<double> parse_bounded_number(std::string_view text, double min, double max, const std::string& what);
// A number in (0, max].
TextValue<double> parse_positive(std::string_view text, double max);
// Digits with an optional binary suffix (KiB, MiB, GiB), in [min, max].
TextValue<std::uint64_t> parse_byte_count(std::string_view text, std::uint64_t min, std::uint64_t max);
// true or false (YAML's spellings too: yes/no, on/off).
TextValue<bool> parse_boolean(std::string_view text);

bool is_readable_file(const std::string& path);

// A secret kept in a file (a password, a key; often a mounted Kubernetes or compose secret): its contents without
// the whitespace around them. The error names `key`, the configuration key that gave the path.
kzg::Result<std::string> read_secret_file(const std::string& path, const std::string& key);

}  // namespace kzgd::config
