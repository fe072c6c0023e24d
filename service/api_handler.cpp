#include "api_handler.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <variant>

#include "common/bytes.hpp"
#include "common/hex.hpp"

namespace kzgd {
namespace {

using nlohmann::json;
constexpr std::string_view kOctetStream = "application/octet-stream";

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Binary request layouts: the named byte strings, concatenated in this order.
struct BinaryLayout {
  std::string_view op;
  std::vector<std::pair<const char*, std::size_t>> fields;
};

const std::vector<BinaryLayout>& binary_layouts() {
  using kzg::kBytesPerBlob;
  static const std::vector<BinaryLayout> layouts = {
      {"blob_to_kzg_commitment", {{"blob", kBytesPerBlob}}},
      {"compute_kzg_proof", {{"blob", kBytesPerBlob}, {"z", 32}}},
      {"compute_blob_kzg_proof", {{"blob", kBytesPerBlob}, {"commitment", 48}}},
      {"verify_blob_kzg_proof", {{"blob", kBytesPerBlob}, {"commitment", 48}, {"proof", 48}}},
      {"compute_cells", {{"blob", kBytesPerBlob}}},
      {"compute_cells_and_kzg_proofs", {{"blob", kBytesPerBlob}}},
  };
  return layouts;
}

// The JSON input of a binary body, or an error response.
std::variant<json, HttpResponse> binary_input(const std::string& op, const std::string& body) {
  for (const auto& l : binary_layouts()) {
    if (l.op != op) continue;
    std::size_t total = 0;
    for (const auto& f : l.fields) total += f.second;
    if (body.size() != total)
      return error_response(400, "invalid_length",
                            "binary body must be " + std::to_string(total) + " bytes, got " + std::to_string(body.size()),
                            "body");
    json in = json::object();
    std::size_t off = 0;
    for (const auto& [name, size] : l.fields) {
      in[name] = kzg::hex_encode(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body.data()) + off, size));
      off += size;
    }
    return in;
  }
  return error_response(415, "unsupported_media_type", "binary bodies are accepted only by single-blob operations",
                        "Content-Type");
}

// Raw bytes of an output: hex strings decoded, booleans as one byte, lists concatenated.
bool append_binary(std::string& out, const json& v) {
  if (v.is_boolean()) {
    out.push_back(v.get<bool>() ? '\x01' : '\x00');
    return true;
  }
  if (v.is_string()) {
    const auto bytes = kzg::hex_decode(v.get_ref<const std::string&>(), std::size_t{1} << 30);
    if (!bytes) return false;
    out.append(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    return true;
  }
  if (v.is_array()) {
    for (const auto& e : v)
      if (!append_binary(out, e)) return false;
    return true;
  }
  return false;
}

json error_body(const kzg::Error& e) {
  json err = {{"code", e.code}, {"message", e.message}};
  err["field"] = e.field.empty() ? json(nullptr) : json(e.field);
  return err;
}

HttpResponse shed_response() {
  HttpResponse r = error_response(503, "overloaded", "the work queue is full; retry shortly");
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace

HttpResponse error_response(int status, const std::string& code, const std::string& message, const std::string& field) {
  HttpResponse r;
  r.status = status;
  r.body = json{{"error", error_body(kzg::Error{code, message, field})}}.dump();
  return r;
}

ApiHandler::ApiHandler(Engine engine, std::vector<std::string> operations, WorkerPool& pool, Metrics& metrics,
                       Options options, std::function<bool()> ready)
    : engine_(std::move(engine)),
      operations_(std::move(operations)),
      pool_(pool),
      metrics_(metrics),
      options_(options),
      ready_(std::move(ready)) {}

bool ApiHandler::known(std::string_view op) const {
  return std::find(operations_.begin(), operations_.end(), op) != operations_.end();
}

Metrics::Gauges ApiHandler::gauges(std::size_t in_flight) const {
  return {in_flight, pool_.queued(), pool_.running(), pool_.threads(), ready_()};
}

void ApiHandler::handle(HttpRequest req, std::function<void(HttpResponse)> done) {
  const std::string path = req.target.substr(0, req.target.find('?'));
  auto method_not_allowed = [&](const char* allow) {
    HttpResponse r = error_response(405, "method_not_allowed", "use " + std::string(allow) + " for " + path);
    r.headers.emplace_back("Allow", allow);
    done(std::move(r));
  };
  if (path == "/health" || path == "/ready" || path == "/metrics") {
    if (req.method != "GET" && req.method != "HEAD") return method_not_allowed("GET");
    HttpResponse r;
    if (path == "/health") {
      r.body = R"({"status":"ok"})";
    } else if (path == "/ready") {
      const bool ok = ready_();
      r.status = ok ? 200 : 503;
      r.body = ok ? R"({"ready":true})" : R"({"ready":false})";
    } else {
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      r.body = metrics_.render(gauges(0));
    }
    return done(std::move(r));
  }
  if (!starts_with(path, "/v1/")) return done(error_response(404, "not_found", "no such path: " + path));
  const std::string op = path.substr(4);
  if (op != "batch" && !known(op))
    return done(error_response(404, "unknown_operation", "unknown operation \"" + op + "\"", "operation"));
  if (req.method != "POST") return method_not_allowed("POST");
  if (!ready_()) {
    HttpResponse r = error_response(503, "not_ready", "the service is starting or draining; retry shortly");
    r.headers.emplace_back("Retry-After", "1");
    r.operation = op;
    return done(std::move(r));
  }
  if (op == "batch") return handle_batch(std::move(req), std::move(done));
  handle_operation(op, std::move(req), std::move(done));
}

void ApiHandler::handle_operation(const std::string& op, HttpRequest req, std::function<void(HttpResponse)> done) {
  json input;
  if (starts_with(req.content_type, kOctetStream)) {
    auto in = binary_input(op, req.body);
    if (auto* r = std::get_if<HttpResponse>(&in)) {
      r->operation = op;
      return done(std::move(*r));
    }
    input = std::move(std::get<json>(in));
  } else {
    input = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (input.is_discarded() || !input.is_object()) {
      HttpResponse r = error_response(400, "invalid_json", "the body must be a JSON object (the operation's input)", "body");
      r.operation = op;
      return done(std::move(r));
    }
  }
  const bool binary_out = req.accept.find(kOctetStream) != std::string::npos;
  auto shared_done = std::make_shared<std::function<void(HttpResponse)>>(std::move(done));
  auto task = [this, op, input = std::move(input), binary_out, shared_done] {
    HttpResponse r;
    r.operation = op;
    try {
      const kzg::api::Outcome out = engine_(op, input);
      if (out.error) {
        r = error_response(400, out.error->code, out.error->message, out.error->field);
        r.operation = op;
      } else if (binary_out) {
        r.content_type = std::string(kOctetStream);
        if (!append_binary(r.body, out.output)) r = error_response(406, "not_acceptable", "no binary form", "Accept");
      } else {
        r.body = json{{"output", out.output}}.dump();
      }
    } catch (const std::exception& e) {
      r = error_response(500, "internal", "internal error");
    }
    (*shared_done)(std::move(r));
  };
  if (!pool_.submit(std::move(task))) {
    metrics_.count_shed();
    HttpResponse r = shed_response();
    r.operation = op;
    (*shared_done)(std::move(r));
  }
}

void ApiHandler::handle_batch(HttpRequest req, std::function<void(HttpResponse)> done) {
  const json body = json::parse(req.body, nullptr, false);
  auto fail = [&](const std::string& code, const std::string& msg, const std::string& field) {
    HttpResponse r = error_response(400, code, msg, field);
    r.operation = "batch";
    done(std::move(r));
  };
  if (body.is_discarded() || !body.is_object()) return fail("invalid_json", "the body must be a JSON object", "body");
  const auto it = body.find("requests");
  if (it == body.end() || !it->is_array()) return fail("invalid_type", "expected a list of requests", "requests");
  if (it->size() > options_.max_batch_items)
    return fail("too_many_items", "at most " + std::to_string(options_.max_batch_items) + " requests per batch",
                "requests");

  struct State {
    std::vector<json> responses;
    std::atomic<std::size_t> remaining;
    std::atomic<bool> shed{false};
    std::function<void(HttpResponse)> done;
  };
  const std::size_t n = it->size();
  auto st = std::make_shared<State>();
  st->responses.resize(n);
  st->remaining = n + 1;  // +1 held until every item is submitted
  st->done = std::move(done);
  auto finish_one = [st] {
    if (st->remaining.fetch_sub(1) != 1) return;
    HttpResponse r;
    if (st->shed) {
      r = shed_response();
    } else {
      json out = json::array();
      for (auto& x : st->responses) out.push_back(std::move(x));
      r.body = json{{"responses", std::move(out)}}.dump();
    }
    r.operation = "batch";
    st->done(std::move(r));
  };
  for (std::size_t i = 0; i < n; ++i) {
    const json& item = (*it)[i];
    const std::string field = "requests[" + std::to_string(i) + "]";
    const json* op = item.is_object() && item.contains("op") ? &item["op"] : nullptr;
    if (op == nullptr || !op->is_string() || !item.contains("input") || !known(op->get<std::string>())) {
      const std::string msg = op != nullptr && op->is_string() && !known(op->get<std::string>())
                                  ? "unknown operation \"" + op->get<std::string>() + "\""
                                  : "expected {\"op\": <operation>, \"input\": {...}}";
      st->responses[i] = {{"output", nullptr}, {"error", error_body(kzg::Error{"invalid_request", msg, field})}};
      finish_one();
      continue;
    }
    auto task = [this, st, i, op = op->get<std::string>(), input = item["input"], finish_one] {
      try {
        const kzg::api::Outcome out = engine_(op, input);
        st->responses[i] = out.error ? json{{"output", nullptr}, {"error", error_body(*out.error)}}
                                     : json{{"output", out.output}};
      } catch (const std::exception&) {
        st->responses[i] = {{"output", nullptr}, {"error", error_body(kzg::Error{"internal", "internal error", {}})}};
      }
      finish_one();
    };
    if (!pool_.submit(std::move(task))) {
      st->shed = true;
      finish_one();
    }
  }
  if (st->shed) metrics_.count_shed();
  finish_one();
}

}  // namespace kzgd
