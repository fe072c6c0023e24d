// AccessFilter: where a request may come from (access.* keys). It resolves the client's address (the TCP peer,
// or X-Forwarded-For through access.trusted_proxies; security/client_address.hpp), records it on the exchange,
// and answers 403 address_denied when the address is in access.deny, or when access.allow is not empty and
// the address is not in it. Deny is checked first. Runs before routing, so it covers every path.
#pragma once

#include "service/api/filters/request_filter.hpp"
#include "service/metrics/service_metrics.hpp"
#include "service/security/ip_range.hpp"

namespace kzgd {

struct AccessLists {
  IpRangeList allow;  // empty: every address not denied
  IpRangeList deny;
  IpRangeList trusted_proxies;  // peers whose X-Forwarded-For is believed
};

class AccessFilter : public RequestFilter {
 public:
  AccessFilter(AccessLists lists, ServiceMetrics& metrics) : lists_(std::move(lists)), metrics_(metrics) {}
  bool pass(Exchange& exchange) override;

 private:
  const AccessLists lists_;
  ServiceMetrics& metrics_;
};

}  // namespace kzgd
