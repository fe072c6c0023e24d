// Request decoding: an HTTP request body through the functions kzgd runs on it.
//
// Input: the first line names the operation (as in POST /v1/<operation>), or is "batch" (POST /v1/batch); the
// rest is the request body. The body goes through kzgd::parse_json_body, then, as the operation endpoint does,
// through the engine's dispatch (kzg::api::dispatch: the JSON `input` decoding of every operation, its hex
// strings, sizes and lists, then the spec function when the input decodes). For "batch", every item of
// {"requests": [{"op", "input"}, ...]} is dispatched as the batch endpoint does.
//
// Properties: parsing never throws and its errors are {invalid_json, field "body"}; a parsed body serializes
// and parses back to the same value, and the codec's writer (engine/common/json_text.hpp) writes what nlohmann's
// dump writes; dispatch never throws, and gives exactly one of an output or an error with a code and a message.
// In a batch, the verify_kzg_proof and verify_blob_kzg_proof items are also verified together, as kzgd verifies
// concurrent requests (verify_*_each, with bisection): each answer must equal the item's answer alone.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "engine/common/json_text.hpp"
#include "engine/dispatch/dispatch.hpp"
#include "engine/dispatch/json_codec.hpp"
#include "engine/kzg/eip4844.hpp"
#include "engine/kzg/settings.hpp"
#include "fuzz/check.hpp"
#include "service/api/codecs/error_status.hpp"
#include "service/api/codecs/json_body.hpp"

namespace {

constexpr std::size_t kRoundTripDepth = 256;

const kzg::KzgSettings& settings();

// How deeply a value nests, counted up to `limit` (the recursion stops there).
std::size_t nesting_depth(const nlohmann::json& v, std::size_t limit) {
  if (limit == 0 || !v.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const auto& item : v) {
    deepest = std::max(deepest, nesting_depth(item, limit - 1));
    if (deepest + 1 >= limit) break;
  }
  return deepest + 1;
}

void check_outcome(const kzg::api::Outcome& outcome) {
  if (outcome.error) {
    FUZZ_CHECK(outcome.output.is_null());
    // A hostile input is the client's mistake: never a 5xx (out of memory, 503, aside).
    const unsigned status = kzgd::error_status(outcome.error->code).http;
    FUZZ_CHECK(status < 500 || outcome.error->code == kzg::ErrorCode::resource_exhausted);
    FUZZ_CHECK(!outcome.error->message.empty());
  } else {
    FUZZ_CHECK(!outcome.output.is_null());
  }
}

std::string dumped(const nlohmann::json& v) { return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

kzg::api::Outcome run_operation(std::string_view op, const nlohmann::json& input) {
  // The endpoints refuse a non-object input before dispatching; dispatch must refuse it too.
  kzg::api::Outcome outcome = kzg::api::dispatch(settings(), op, input);
  check_outcome(outcome);
  if (!outcome.error) FUZZ_CHECK(kzg::json_text(outcome.output) == dumped(outcome.output));
  if (kzg::api::find_operation(op) == nullptr)
    FUZZ_CHECK(outcome.error && outcome.error->code == kzg::ErrorCode::unknown_operation);
  if (!input.is_object()) FUZZ_CHECK(outcome.error.has_value());
  return outcome;
}

// The answer a claim got together must be the answer it got alone: the same error code, or the same boolean.
void check_same(const kzg::Result<bool>& together, const kzg::api::Outcome& alone) {
  if (alone.error) {
    FUZZ_CHECK(!together && together.error().code == alone.error->code);
  } else {
    FUZZ_CHECK(together && alone.output.is_boolean() && *together == alone.output.get<bool>());
  }
}

// The batch's verify_kzg_proof and verify_blob_kzg_proof items whose fields decode, verified together.
void run_together(const std::vector<std::pair<std::string, const nlohmann::json*>>& items,
                  const std::vector<kzg::api::Outcome>& alone) {
  using kzg::api::bytes_field;
  std::vector<std::vector<kzg::api::ByteString>> kept;  // owns the bytes the claims view
  std::vector<kzg::KzgProofClaim> point_claims;
  std::vector<kzg::BlobProofClaim> blob_claims;
  std::vector<std::size_t> point_items, blob_items;
  kept.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& [op, input] = items[i];
    const bool point = op == "verify_kzg_proof";
    if (!point && op != "verify_blob_kzg_proof") continue;
    const auto names =
        point
            ? std::vector<std::pair<const char*, std::size_t>>{{"commitment", 48}, {"z", 32}, {"y", 32}, {"proof", 48}}
            : std::vector<std::pair<const char*, std::size_t>>{
                  {"blob", kzg::kBytesPerBlob}, {"commitment", 48}, {"proof", 48}};
    std::vector<kzg::api::ByteString> fields;
    for (const auto& [name, size] : names) {
      auto b = bytes_field(*input, name, size);
      if (!b) break;
      fields.push_back(std::move(b).value());
    }
    if (fields.size() != names.size()) continue;  // decoding errors are dispatch's, checked alone
    const auto& f = kept.emplace_back(std::move(fields));
    if (point) {
      point_claims.push_back({f[0], f[1], f[2], f[3]});
      point_items.push_back(i);
    } else {
      blob_claims.push_back({f[0], f[1], f[2]});
      blob_items.push_back(i);
    }
  }
  const auto points = kzg::verify_kzg_proof_each(point_claims, settings());
  FUZZ_CHECK(points.size() == point_claims.size());
  for (std::size_t k = 0; k < points.size(); ++k) check_same(points[k], alone[point_items[k]]);
  const auto blobs = kzg::verify_blob_kzg_proof_each(blob_claims, settings());
  FUZZ_CHECK(blobs.size() == blob_claims.size());
  for (std::size_t k = 0; k < blobs.size(); ++k) check_same(blobs[k], alone[blob_items[k]]);
}

void run_batch(const nlohmann::json& body) {
  if (!body.is_object()) return;
  const auto requests = body.find("requests");
  if (requests == body.end() || !requests->is_array()) return;
  std::vector<std::pair<std::string, const nlohmann::json*>> items;
  std::vector<kzg::api::Outcome> alone;
  for (const auto& item : *requests) {
    if (!item.is_object()) continue;
    const auto op = item.find("op");
    const auto input = item.find("input");
    if (op == item.end() || !op->is_string() || input == item.end() || !input->is_object()) continue;
    items.emplace_back(op->get<std::string>(), &*input);
    alone.push_back(run_operation(op->get_ref<const std::string&>(), *input));
  }
  run_together(items, alone);
}

const kzg::KzgSettings* g_settings = nullptr;

const kzg::KzgSettings& settings() { return *g_settings; }

}  // namespace

// The mainnet settings without the optional precomputed tables: decoding is the target, and every operation that
// needs no FK20 table still runs end to end when its input decodes. Loaded here, outside the per-input timeout
// (under the sanitizers it takes seconds; with -jobs=N the supervising process loads them too).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kzg::KzgSettingsOptions options;
  options.cell_proofs = false;
  options.fixed_base_msm = false;
  static auto loaded = kzg::load_default_kzg_settings(options);
  if (!loaded) {
    std::fprintf(stderr, "request_fuzzer: cannot load the settings: %s\n", loaded.error().message.c_str());
    std::abort();
  }
  g_settings = loaded->get();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return 0;
  const std::string_view op = text.substr(0, newline);
  const std::string_view body = text.substr(newline + 1);

  const auto parsed = kzgd::parse_json_body(body);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().code == kzg::ErrorCode::invalid_json);
    FUZZ_CHECK(parsed.error().field == "body");
    FUZZ_CHECK(!parsed.error().message.empty());
    return 0;
  }
  // Whatever parser sits behind parse_json_body, what it hands on is a value that survives a round trip. (Only
  // checked below kRoundTripDepth: nlohmann's serializer and comparison recurse once per level, the service never
  // serializes or compares a request, and the harness must not overflow its own stack.)
  if (nesting_depth(*parsed, kRoundTripDepth) < kRoundTripDepth) {
    FUZZ_CHECK(nlohmann::json::parse(parsed->dump()) == *parsed);
    FUZZ_CHECK(kzg::json_text(*parsed) == dumped(*parsed));
  }

  if (op == "batch")
    run_batch(*parsed);
  else
    run_operation(op, *parsed);
  return 0;
}
