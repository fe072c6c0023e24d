#include "service/api/endpoints/operation_endpoint.hpp"

#include "service/api/codecs/binary_layout.hpp"
#include "service/api/codecs/json_body.hpp"
#include "service/api/codecs/output_encoding.hpp"
#include "service/api/codecs/responses.hpp"
#include "service/catalogue/operation_catalogue.hpp"

namespace kzgd {
namespace {

// The request's application/octet-stream body split by the layout (views into the body).
kzg::Result<BinaryInput> split_body(const BinaryLayout& layout, const Exchange& ex) {
  const std::string& body = ex.request.body();
  return split_binary_body(layout, std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
}

Outcome run_binary(const OperationBackend& backend, const BinaryLayout& layout, const Exchange& ex) {
  auto input = split_body(layout, ex);
  if (!input) return {nullptr, input.error()};
  return backend.run_binary(layout.operation, *input);
}

kzg::Result<nlohmann::json> parse_json_input(const std::string& operation, const Exchange& ex) {
  auto input = parse_json_body(ex.request.body());
  if (!input) return input.error();
  if (!input->is_object())
    return kzg::make_error(kzg::ErrorCode::invalid_input,
                           "the body must be a JSON object of " + operation + "'s parameters", "body");
  return input;
}

Outcome run_json(const OperationBackend& backend, const std::string& operation, const Exchange& ex) {
  auto input = parse_json_input(operation, ex);
  if (!input) return {nullptr, input.error()};
  return backend.run(operation, *input);
}

// Parses the body and hands the request to the coalescer, or answers a body that does not parse.
void submit_to(RequestCoalescer& coalescer, const BinaryLayout* layout, bool binary_wanted,
               const std::shared_ptr<Exchange>& ex) {
  CoalescedRequest request{ex, std::nullopt, std::nullopt, binary_wanted};
  if (layout) {
    auto input = split_body(*layout, *ex);
    if (!input) return ex->respond(outcome_response({nullptr, input.error()}, binary_wanted, ex->version()));
    request.binary = std::move(input).value();
  } else {
    auto input = parse_json_input(coalescer.operation(), *ex);
    if (!input) return ex->respond(outcome_response({nullptr, input.error()}, binary_wanted, ex->version()));
    request.json = std::move(input).value();
  }
  coalescer.submit(std::move(request));
}

// Decodes the body once and answers through the cache, with its Cache-Status.
void serve_cached(const OperationBackend& backend, ResultCache& cache, const BinaryLayout* layout,
                  const std::string& operation, bool binary_wanted, const std::shared_ptr<Exchange>& ex) {
  const auto answer = [ex, binary_wanted](const Outcome& outcome, const std::string& status) {
    HttpResponse r = outcome_response(outcome, binary_wanted, ex->version());
    if (!status.empty()) r.set("Cache-Status", status);
    ex->respond(std::move(r));
  };
  if (layout) {
    auto input = split_body(*layout, *ex);
    if (!input) return answer({nullptr, input.error()}, "");
    const OperationInput in{nullptr, &*input};
    return cache.serve(
        operation, in, backend.setup_fingerprint(), [&] { return backend.run_binary(operation, *input); }, answer);
  }
  auto input = parse_json_input(operation, *ex);
  if (!input) return answer({nullptr, input.error()}, "");
  const OperationInput in{&*input, nullptr};
  cache.serve(
      operation, in, backend.setup_fingerprint(), [&] { return backend.run(operation, *input); }, answer);
}

}  // namespace

RequestCoalescer* OperationEndpoint::coalescer_for(const std::string& operation) const {
  for (RequestCoalescer* c : coalescers_)
    if (c->operation() == operation) return c;
  return nullptr;
}

void OperationEndpoint::handle(Exchange&& exchange) {
  const std::string operation = exchange.record->operation;
  const BinaryLayout* layout = nullptr;
  if (has_binary_body(exchange.request)) {
    layout = find_binary_layout(operation);
    if (layout == nullptr) {
      std::string binary_operations;
      for (const OperationEntry& op : operation_catalogue())
        if (!op.binary.empty()) binary_operations += (binary_operations.empty() ? "" : ", ") + std::string(op.name);
      exchange.respond(error_response(kzg::make_error(kzg::ErrorCode::unsupported_media_type,
                                                      operation +
                                                          " takes a JSON body; application/octet-stream bodies are "
                                                          "accepted by " +
                                                          binary_operations,
                                                      "body"),
                                      exchange.version()));
      return;
    }
  }
  const bool binary_wanted = accepts_binary(exchange.request);
  if (RequestCoalescer* coalescer = coalescer_for(operation)) {
    admission_.submit(std::make_shared<Exchange>(std::move(exchange)),
                      [coalescer, layout, binary_wanted](const std::shared_ptr<Exchange>& ex) {
                        submit_to(*coalescer, layout, binary_wanted, ex);
                      });
    return;
  }
  const OperationBackend& backend = backend_;
  if (cache_ != nullptr && cache_->caches(operation)) {
    admission_.submit(
        std::make_shared<Exchange>(std::move(exchange)),
        [&backend, cache = cache_, layout, operation, binary_wanted](const std::shared_ptr<Exchange>& ex) {
          serve_cached(backend, *cache, layout, operation, binary_wanted, ex);
        });
    return;
  }
  admission_.submit(std::make_shared<Exchange>(std::move(exchange)),
                    [&backend, layout, operation, binary_wanted](const std::shared_ptr<Exchange>& ex) {
                      const Outcome outcome =
                          layout ? run_binary(backend, *layout, *ex) : run_json(backend, operation, *ex);
                      ex->respond(outcome_response(outcome, binary_wanted, ex->version()));
                    });
}

}  // namespace kzgd
