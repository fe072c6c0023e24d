#include "service/api/endpoints/batch_endpoint.hpp"

#include <algorithm>
#include <atomic>
#include <vector>

#include "service/api/codecs/json_body.hpp"
#include "service/api/codecs/output_encoding.hpp"
#include "service/api/codecs/responses.hpp"

namespace kzgd {
namespace {

using nlohmann::json;

// One batch in progress, shared by the workers running its items.
struct BatchRun {
  json document;  // the parsed body; items are read in place
  std::vector<json> results;
  std::atomic<std::size_t> done{0};
  std::shared_ptr<Exchange> exchange;
  const OperationBackend* backend = nullptr;
  ServiceMetrics* metrics = nullptr;

  const json& requests() const { return document["requests"]; }

  std::atomic<bool> expired{false};  // an item was dropped at the deadline
  std::atomic<bool> gone{false};     // an item was dropped because the client went away
  Admission* admission = nullptr;

  // Runs item i; whoever completes the batch answers it.
  void work(std::size_t i) {
    results[i] = run_item(i);
    finish_one();
  }

  void drop(std::size_t i, DropReason reason) {
    (reason == DropReason::deadline ? expired : gone) = true;
    results[i] = nullptr;
    finish_one();
  }

  void finish_one() {
    if (++done != results.size()) return;
    if (gone) return admission->answer_dropped(exchange, DropReason::client_gone);
    if (expired) return admission->answer_dropped(exchange, DropReason::deadline);
    answer();
  }

  json run_item(std::size_t i) const {
    const std::string where = "requests[" + std::to_string(i) + "]";
    const json& item = requests()[i];
    if (!item.is_object())
      return error_item(
          kzg::make_error(kzg::ErrorCode::invalid_input, "expected an object {\"op\": ..., \"input\": {...}}", where));
    const auto op = item.find("op");
    if (op == item.end() || !op->is_string())
      return error_item(kzg::make_error(kzg::ErrorCode::invalid_input, "expected \"op\": the name of a spec function",
                                        where + ".op"));
    const auto& name = op->get_ref<const std::string&>();
    const auto& known = backend->operations();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      metrics->record_batch_item("unknown", false);
      return error_item(
          kzg::make_error(kzg::ErrorCode::unknown_operation, "unknown operation \"" + name + "\"", where + ".op"));
    }
    const auto input = item.find("input");
    if (input == item.end() || !input->is_object()) {
      metrics->record_batch_item(name, false);
      return error_item(kzg::make_error(kzg::ErrorCode::invalid_input,
                                        "expected \"input\": an object of " + name + "'s parameters",
                                        where + ".input"));
    }
    Outcome outcome = backend->run(name, *input);
    metrics->record_batch_item(name, !outcome.error);
    return outcome_json(std::move(outcome));
  }

  static json error_item(kzg::Error e) { return outcome_json(Outcome{nullptr, std::move(e)}); }

  void answer() {
    json body = {{"responses", json::array()}};
    auto& out = body["responses"];
    for (auto& r : results) out.push_back(std::move(r));
    exchange->respond(json_response(HttpStatus::ok, body, exchange->version()));
  }
};

}  // namespace

void BatchEndpoint::handle(Exchange&& exchange) {
  if (has_binary_body(exchange.request)) {
    exchange.respond(error_response(
        kzg::make_error(kzg::ErrorCode::unsupported_media_type,
                        "/v1/batch takes a JSON body {\"requests\": [...]}, not application/octet-stream", "body"),
        exchange.version()));
    return;
  }
  admission_.submit(std::make_shared<Exchange>(std::move(exchange)),
                    [this](const std::shared_ptr<Exchange>& ex) { run(ex); });
}

void BatchEndpoint::run(const std::shared_ptr<Exchange>& exchange) {
  const unsigned version = exchange->version();
  auto parsed = parse_json_body(exchange->request.body(), max_batch_items_);
  if (!parsed && parsed.error().code == kzg::ErrorCode::batch_too_large) {
    metrics_.record_rejected("batch_too_large");
    return exchange->respond(error_response(parsed.error(), version));
  }
  if (!parsed) return exchange->respond(error_response(parsed.error(), version));
  const auto requests = parsed->is_object() ? parsed->find("requests") : parsed->end();
  if (!parsed->is_object() || requests == parsed->end() || !requests->is_array())
    return exchange->respond(error_response(
        kzg::make_error(kzg::ErrorCode::invalid_input,
                        "the body must be {\"requests\": [{\"op\": ..., \"input\": {...}}, ...]}", "requests"),
        version));
  const std::size_t n = requests->size();
  if (n > max_batch_items_) {
    metrics_.record_rejected("batch_too_large");
    return exchange->respond(
        error_response(kzg::make_error(kzg::ErrorCode::batch_too_large,
                                       "the batch has " + std::to_string(n) + " requests; at most " +
                                           std::to_string(max_batch_items_) + " are accepted (limits.max_batch_items)",
                                       "requests"),
                       version));
  }
  if (exchange->check_batch_items)
    if (auto refusal = exchange->check_batch_items(*requests)) return exchange->respond(std::move(*refusal));
  auto batch = std::make_shared<BatchRun>();
  batch->document = std::move(parsed).value();
  batch->results.resize(n);
  batch->exchange = exchange;
  batch->backend = &backend_;
  batch->metrics = &metrics_;
  // Only the parsed document is needed from here on.
  exchange->request.body().clear();
  exchange->request.body().shrink_to_fit();
  if (n == 0) return batch->answer();
  batch->admission = &admission_;
  // Each item is a job of its own in the client's fair share, at the item's cost: the batch's items take
  // turns with other clients' requests instead of holding every worker until the batch is done.
  std::vector<Admission::Part> parts;
  parts.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    parts.push_back({[batch, i] { batch->work(i); }, [batch, i](DropReason reason) { batch->drop(i, reason); },
                     admission_.costs().batch_item_cost(batch->requests()[i])});
  admission_.submit_parts(exchange, std::move(parts));
}

}  // namespace kzgd
