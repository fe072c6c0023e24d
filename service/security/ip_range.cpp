#include "service/security/ip_range.hpp"

#include <charconv>

#include "service/util/text.hpp"

namespace kzgd {

std::array<std::uint8_t, 16> ipv6_bytes(const IpAddress& a) {
  if (a.is_v6()) return a.to_v6().to_bytes();
  return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, a.to_v4()).to_bytes();
}

std::string address_text(const IpAddress& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).to_string();
  return a.to_string();
}

std::optional<IpAddress> parse_ip_address(std::string_view text) {
  if (text.empty() || text.size() > 45 || text.find('%') != std::string_view::npos) return std::nullopt;
  boost::system::error_code ec;
  const IpAddress a = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return a;
}

kzg::Result<IpRange> IpRange::parse(std::string_view text, const std::string& field) {
  text = trim(text);
  const auto slash = text.find('/');
  const auto bad = [&](const std::string& why) {
    return kzg::make_error(kzg::ErrorCode::invalid_config, why + ", got \"" + std::string(text) + "\"", field);
  };
  const auto address = parse_ip_address(text.substr(0, slash));
  if (!address) return bad("expected an IP address or a CIDR range such as 10.0.0.0/8 or 2001:db8::/32");
  const unsigned width = address->is_v4() ? 32 : 128;
  unsigned prefix = width;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix > width)
      return bad("the prefix length must be 0 to " + std::to_string(width));
  }
  IpRange r;
  r.prefix_ = prefix + (address->is_v4() ? 96 : 0);
  r.network_ = ipv6_bytes(*address);
  for (unsigned bit = r.prefix_; bit < 128; ++bit)
    r.network_[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  r.text_ = std::string(text);
  return r;
}

bool IpRange::contains(const IpAddress& address) const {
  const auto bytes = ipv6_bytes(address);
  unsigned bit = 0;
  for (; bit + 8 <= prefix_; bit += 8)
    if (bytes[bit / 8] != network_[bit / 8]) return false;
  if (bit < prefix_) {
    const auto mask = static_cast<std::uint8_t>(0xFFu << (8 - (prefix_ - bit)));
    if ((bytes[bit / 8] & mask) != network_[bit / 8]) return false;
  }
  return true;
}

kzg::Result<IpRangeList> IpRangeList::parse(std::string_view text, const std::string& field) {
  IpRangeList list;
  for (const std::string_view item : split_list(text)) {
    auto range = IpRange::parse(item, field);
    if (!range) return range.error();
    list.ranges_.push_back(std::move(range).value());
  }
  return list;
}

bool IpRangeList::contains(const IpAddress& address) const {
  for (const auto& r : ranges_)
    if (r.contains(address)) return true;
  return false;
}

}  // namespace kzgd
