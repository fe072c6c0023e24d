// Endpoint: the last stage of the API's chain; answers an Exchange (now, or later from a worker).
#pragma once

#include "service/api/exchange.hpp"

namespace kzgd {

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  virtual void handle(Exchange&& exchange) = 0;
};

}  // namespace kzgd
