// IP ranges in CIDR notation, IPv4 and IPv6 alike: "10.0.0.0/8", "2001:db8::/32", or one address ("192.0.2.7"
// means /32, "::1" /128). IPv4 is kept as IPv4-mapped IPv6 (::ffff:a.b.c.d, prefix + 96), so an IPv4 client
// that reaches a dual-stack listener as ::ffff:192.0.2.7 matches the IPv4 ranges, and an IPv6 range written as
// ::ffff:0:0/96 matches every IPv4 client.
#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"

namespace kzgd {

using IpAddress = boost::asio::ip::address;

// The address as IPv6 bytes (IPv4 as IPv4-mapped).
std::array<std::uint8_t, 16> ipv6_bytes(const IpAddress& address);
// The address as people write it: IPv4-mapped IPv6 shown as IPv4.
std::string address_text(const IpAddress& address);
// An IPv4 or IPv6 literal (no brackets, no port, no zone), or nullopt.
std::optional<IpAddress> parse_ip_address(std::string_view text);

class IpRange {
 public:
  // field: the config key that errors name.
  static kzg::Result<IpRange> parse(std::string_view text, const std::string& field);
  bool contains(const IpAddress& address) const;
  const std::string& text() const { return text_; }

 private:
  std::array<std::uint8_t, 16> network_{};
  unsigned prefix_ = 128;  // bits, of the IPv6 form
  std::string text_;
};

class IpRangeList {
 public:
  IpRangeList() = default;
  // "10.0.0.0/8, 2001:db8::/32" (commas, optional spaces); empty text is an empty list.
  static kzg::Result<IpRangeList> parse(std::string_view text, const std::string& field);
  bool contains(const IpAddress& address) const;
  bool empty() const { return ranges_.empty(); }
  const std::vector<IpRange>& ranges() const { return ranges_; }

 private:
  std::vector<IpRange> ranges_;
};

}  // namespace kzgd
