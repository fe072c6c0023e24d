#include "service/security/ip_range.hpp"

#include <gtest/gtest.h>

#include "service/security/client_address.hpp"

namespace kzgd {
namespace {

IpAddress ip(const std::string& text) { return *parse_ip_address(text); }

TEST(IpRange, Ipv4AndIpv6Prefixes) {
  const auto ten = IpRange::parse("10.0.0.0/8", "k");
  ASSERT_TRUE(ten.ok());
  EXPECT_TRUE(ten->contains(ip("10.255.1.2")));
  EXPECT_FALSE(ten->contains(ip("11.0.0.1")));
  const auto odd = IpRange::parse("192.168.1.128/25", "k");
  ASSERT_TRUE(odd.ok()) << odd.error().message;
  EXPECT_TRUE(odd->contains(ip("192.168.1.200")));
  EXPECT_FALSE(odd->contains(ip("192.168.1.127")));
  const auto v6 = IpRange::parse("2001:db8::/32", "k");
  ASSERT_TRUE(v6.ok()) << v6.error().message;
  EXPECT_TRUE(v6->contains(ip("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->contains(ip("2001:db9::1")));
  EXPECT_FALSE(v6->contains(ip("10.0.0.1")));
  const auto one = IpRange::parse("192.0.2.7", "k");
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_TRUE(one->contains(ip("192.0.2.7")));
  EXPECT_FALSE(one->contains(ip("192.0.2.8")));
  const auto any_v4 = IpRange::parse("0.0.0.0/0", "k");
  ASSERT_TRUE(any_v4.ok()) << any_v4.error().message;
  EXPECT_TRUE(any_v4->contains(ip("203.0.113.9")));
  EXPECT_FALSE(any_v4->contains(ip("::1")));
  const auto any_v6 = IpRange::parse("::/0", "k");
  ASSERT_TRUE(any_v6.ok()) << any_v6.error().message;
  EXPECT_TRUE(any_v6->contains(ip("::1")));
  // A host address written with a prefix is masked to its network.
  const auto masked = IpRange::parse("10.1.2.3/16", "k");
  ASSERT_TRUE(masked.ok()) << masked.error().message;
  EXPECT_TRUE(masked->contains(ip("10.1.200.1")));
}

TEST(IpRange, Ipv4MappedIpv6MatchesIpv4Ranges) {
  const auto ten = IpRange::parse("10.0.0.0/8", "k");
  ASSERT_TRUE(ten.ok()) << ten.error().message;
  EXPECT_TRUE(ten->contains(ip("::ffff:10.1.2.3")));
  EXPECT_FALSE(ten->contains(ip("::ffff:11.1.2.3")));
  const auto mapped = IpRange::parse("::ffff:0:0/96", "k");
  ASSERT_TRUE(mapped.ok()) << mapped.error().message;
  EXPECT_TRUE(mapped->contains(ip("198.51.100.1")));
  EXPECT_EQ(address_text(ip("::ffff:10.1.2.3")), "10.1.2.3");
  EXPECT_EQ(address_text(ip("2001:db8::1")), "2001:db8::1");
}

TEST(IpRange, BadRangesNameTheKey) {
  for (const char* bad :
       {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "example.org", "10.0.0.0/8x", "[::1]", "fe80::1%eth0"}) {
    const auto r = IpRange::parse(bad, "access.allow");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "access.allow");
  }
  const auto list = IpRangeList::parse("10.0.0.0/8, 2001:db8::/32,192.0.2.1", "access.deny");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->ranges().size(), 3u);
  EXPECT_TRUE(list->contains(ip("192.0.2.1")));
  const auto none = IpRangeList::parse("", "k");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(IpRangeList::parse("10.0.0.0/8, nope", "access.deny").error().field, "access.deny");
}

TEST(ClientAddress, PeerUnlessTheProxyIsTrusted) {
  EXPECT_EQ(*parse_peer_address("192.0.2.1:5000"), ip("192.0.2.1"));
  EXPECT_EQ(*parse_peer_address("[2001:db8::1]:5000"), ip("2001:db8::1"));
  EXPECT_FALSE(parse_peer_address("unknown").has_value());

  const auto parsed = IpRangeList::parse("10.0.0.0/8, 2001:db8::/32", "k");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const IpRangeList& trusted = *parsed;
  const IpAddress proxy = ip("10.0.0.5");
  // An untrusted peer's header is ignored.
  EXPECT_EQ(client_address(ip("203.0.113.1"), "198.51.100.7", trusted), ip("203.0.113.1"));
  // A trusted proxy: the rightmost untrusted hop.
  EXPECT_EQ(client_address(proxy, "198.51.100.7", trusted), ip("198.51.100.7"));
  EXPECT_EQ(client_address(proxy, "1.1.1.1, 198.51.100.7, 10.0.0.9", trusted), ip("198.51.100.7"));
  // A client's forged entries to the left of its own address are not believed.
  EXPECT_EQ(client_address(proxy, "10.9.9.9, 198.51.100.7", trusted), ip("198.51.100.7"));
  // Every hop trusted: the leftmost.
  EXPECT_EQ(client_address(proxy, "10.0.0.1, 10.0.0.2", trusted), ip("10.0.0.1"));
  // Garbage stops the walk at the last believed hop.
  EXPECT_EQ(client_address(proxy, "198.51.100.7, garbage", trusted), proxy);
  EXPECT_EQ(client_address(proxy, "", trusted), proxy);
  EXPECT_EQ(client_address(proxy, " , ", trusted), proxy);
  // IPv6 hops and an IPv4-mapped proxy address.
  EXPECT_EQ(client_address(ip("::ffff:10.0.0.5"), "2001:db8::7, 2001:db8::8", trusted), ip("2001:db8::7"));
  // No trusted proxies: always the peer.
  EXPECT_EQ(client_address(proxy, "198.51.100.7", IpRangeList{}), proxy);
}

}  // namespace
}  // namespace kzgd
