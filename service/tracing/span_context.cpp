#include "tracing/span_context.hpp"

#include <algorithm>
#include <random>

namespace kzgd {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // the header's hex is lowercase only
}

template <std::size_t N>
bool parse_hex(std::string_view text, std::array<std::uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

template <std::size_t N>
bool all_zero(const std::array<std::uint8_t, N>& a) {
  return std::all_of(a.begin(), a.end(), [](std::uint8_t b) { return b == 0; });
}

std::mt19937_64& id_rng() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return rng;
}

template <std::size_t N>
std::array<std::uint8_t, N> random_id() {
  std::array<std::uint8_t, N> id{};
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      const std::uint64_t r = id_rng()();
      for (std::size_t j = 0; j < 8 && i + j < N; ++j) id[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
    }
  } while (all_zero(id));
  return id;
}

}  // namespace

std::optional<SpanContext> parse_traceparent(std::string_view h) {
  // version "-" trace-id "-" parent-id "-" flags; a later version may append "-..." fields.
  if (h.size() < 55 || h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  std::array<std::uint8_t, 1> version{}, flags{};
  SpanContext c;
  if (!parse_hex(h.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  if (version[0] == 0 && h.size() != 55) return std::nullopt;
  if (version[0] != 0 && h.size() > 55 && h[55] != '-') return std::nullopt;
  if (!parse_hex(h.substr(3, 32), c.trace_id) || !parse_hex(h.substr(36, 16), c.span_id) ||
      !parse_hex(h.substr(53, 2), flags))
    return std::nullopt;
  if (all_zero(c.trace_id) || all_zero(c.span_id)) return std::nullopt;
  c.sampled = (flags[0] & 1) != 0;
  return c;
}

std::string format_traceparent(const SpanContext& c) {
  return "00-" + to_hex(c.trace_id) + "-" + to_hex(c.span_id) + (c.sampled ? "-01" : "-00");
}

TraceId random_trace_id() { return random_id<16>(); }
SpanId random_span_id() { return random_id<8>(); }

std::string to_hex(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(2 * size, '0');
  for (std::size_t i = 0; i < size; ++i) {
    s[2 * i] = digits[bytes[i] >> 4];
    s[2 * i + 1] = digits[bytes[i] & 15];
  }
  return s;
}

}  // namespace kzgd
