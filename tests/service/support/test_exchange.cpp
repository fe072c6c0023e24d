#include "tests/service/support/test_exchange.hpp"

namespace kzgd::testing {

TestExchange::TestExchange(boost::beast::http::verb method, const std::string& target,
                           const std::map<std::string, std::string>& headers, std::string body, std::string client,
                           std::string operation) {
  exchange.request = HttpRequest{method, target, 11};
  for (const auto& [name, value] : headers) exchange.request.insert(name, value);
  exchange.request.body() = std::move(body);
  exchange.request.prepare_payload();
  exchange.info.client = client;
  exchange.info.received = std::chrono::steady_clock::now();
  exchange.client_address = exchange.info.client;
  exchange.record = std::make_shared<AccessRecord>();
  exchange.record->method = std::string(exchange.request.method_string());
  exchange.record->path = target.substr(0, target.find('?'));
  exchange.record->operation = std::move(operation);
  exchange.record->client = std::move(client);
  exchange.respond = [answer = answer](HttpResponse r) { *answer = std::move(r); };
}

}  // namespace kzgd::testing
