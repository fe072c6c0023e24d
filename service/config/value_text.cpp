#include "service/config/value_text.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <utility>

#include "service/util/named_numbers.hpp"

namespace kzgd::config {
namespace {

std::optional<std::uint64_t> digits(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

template <class T>
TextValue<T> fail(std::string why) {
  return TextValue<T>{std::nullopt, std::move(why)};
}

}  // namespace

std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  out += text;
  out += '"';
  return out;
}

std::string number_text(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

TextValue<std::uint64_t> parse_integer(std::string_view text, std::uint64_t min, std::uint64_t max) {
  const auto v = digits(trim(text));
  if (!v || *v < min || *v > max)
    return fail<std::uint64_t>("expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                               ", got " + config::quoted(text));
  return {v, {}};
}

TextValue<double> parse_bounded_number(std::string_view text, double min, double max, const std::string& what) {
  const auto v = parse_finite_number(trim(text));
  if (!v || !(*v >= min && *v <= max)) {
    std::ostringstream range;
    range << min << " to " << max;
    return fail<double>("expected " + what + " from " + range.str() + ", got " + config::quoted(text));
  }
  return {v, {}};
}

TextValue<double> parse_positive(std::string_view text, double max) {
  const auto v = parse_finite_number(trim(text));
  if (!v || !(*v > 0 && *v <= max))
    return fail<double>("expected a positive number up to " + number_text(max) + ", got " + config::quoted(text));
  return {v, {}};
}

TextValue<std::uint64_t> parse_byte_count(std::string_view text, std::uint64_t min, std::uint64_t max) {
  std::string_view s = trim(text);
  std::uint64_t unit = 1;
  for (const auto& [suffix, factor] :
       {std::pair<std::string_view, std::uint64_t>{"KiB", 1u << 10}, {"MiB", 1u << 20}, {"GiB", 1u << 30}}) {
    if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix) {
      unit = factor;
      s = trim(s.substr(0, s.size() - suffix.size()));
      break;
    }
  }
  const auto v = digits(s);
  if (!v || *v > max / unit || *v * unit < min)
    return fail<std::uint64_t>("expected a byte count from " + std::to_string(min) + " to " + std::to_string(max) +
                               " (digits, optionally followed by KiB, MiB or GiB), got " + config::quoted(text));
  return {*v * unit, {}};
}

TextValue<bool> parse_boolean(std::string_view text) {
  const std::string_view s = trim(text);
  if (s == "true" || s == "yes" || s == "on") return {true, {}};
  if (s == "false" || s == "no" || s == "off") return {false, {}};
  return fail<bool>("expected true or false, got " + config::quoted(text));
}

bool is_readable_file(const std::string& path) { return std::ifstream(path).good(); }

kzg::Result<std::string> read_secret_file(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return kzg::make_error(kzg::ErrorCode::invalid_config, "cannot read " + path, key);
  return std::string(trim(text.view()));
}

}  // namespace kzgd::config
