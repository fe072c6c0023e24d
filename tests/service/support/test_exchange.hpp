// TestExchange: an Exchange built in memory for testing one filter alone; the answer, if any, is kept.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "service/api/exchange.hpp"

namespace kzgd::testing {

struct TestExchange {
  // method and target as on the request line; client as the transport writes it ("192.0.2.1:5000").
  TestExchange(boost::beast::http::verb method, const std::string& target,
               const std::map<std::string, std::string>& headers = {}, std::string body = {},
               std::string client = "192.0.2.1:5000", std::string operation = "unknown");

  Exchange exchange;
  std::shared_ptr<std::optional<HttpResponse>> answer = std::make_shared<std::optional<HttpResponse>>();

  bool answered() const { return answer->has_value(); }
  const HttpResponse& response() const { return **answer; }
};

}  // namespace kzgd::testing
