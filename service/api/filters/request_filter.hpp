// RequestFilter: one stage of the API's chain (api_handler.hpp). A filter looks at an exchange and either
// passes it on (true), possibly having added to it (the client's address, its API key, a responder that adds
// headers), or answers it itself and stops it (false). Each filter does one thing and is tested alone.
#pragma once

#include <vector>

#include "service/api/exchange.hpp"

namespace kzgd {

class RequestFilter {
 public:
  virtual ~RequestFilter() = default;
  // False when the filter has answered the exchange (through exchange.respond).
  virtual bool pass(Exchange& exchange) = 0;
};

// The filters ApiHandler runs: before routing (every request, known path or not) and after routing (the
// operation label is known and the body is within limits), each list in order.
struct ApiFilters {
  std::vector<RequestFilter*> before_routing;
  std::vector<RequestFilter*> after_routing;
};

}  // namespace kzgd
