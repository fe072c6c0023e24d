#include "service/api/filters/rate_limit_filter.hpp"

#include <cmath>
#include <sstream>

#include "service/api/codecs/responses.hpp"
#include "service/scheduling/admission.hpp"
#include "service/security/api_key_store.hpp"

namespace kzgd {
namespace {

namespace http = boost::beast::http;

std::string whole_seconds(double seconds) {
  return std::to_string(static_cast<long long>(std::ceil(std::max(0.0, seconds))));
}

std::string number_text(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

HttpResponse too_many_requests(const RateDecision& d, const RateTier& tier, double cost, const std::string& client,
                               const std::string& field, unsigned version) {
  HttpResponse r =
      error_response(kzg::make_error(kzg::ErrorCode::rate_limited,
                                     "rate limit for " + client + ": this request costs " + number_text(cost) +
                                         " tokens and " + number_text(std::floor(d.remaining)) + " are left (" +
                                         number_text(tier.rate) + " per second, burst " + number_text(tier.burst) +
                                         "); retry in " + whole_seconds(std::max(1.0, d.retry_after_seconds)) + " s",
                                     field),
                     version);
  r.set(http::field::retry_after, whole_seconds(std::max(1.0, d.retry_after_seconds)));
  set_rate_limit_headers(r, d, tier);
  return r;
}

}  // namespace

void set_rate_limit_headers(HttpResponse& r, const RateDecision& d, const RateTier& tier) {
  r.set("RateLimit-Limit", number_text(std::floor(d.limit)));
  r.set("RateLimit-Remaining", number_text(std::floor(d.remaining)));
  r.set("RateLimit-Reset", whole_seconds(d.reset_seconds));
  r.set("RateLimit-Policy", number_text(std::floor(tier.burst)) + ";w=" + whole_seconds(tier.burst / tier.rate));
}

const RateTier& RateLimitFilter::tier_for(const Exchange& exchange) const {
  if (exchange.api_key && !exchange.api_key->tier.empty()) {
    const auto it = policy_.tiers.find(exchange.api_key->tier);
    if (it != policy_.tiers.end()) return it->second;
  }
  return policy_.default_tier;
}

bool RateLimitFilter::pass(Exchange& exchange) {
  if (!exchange.record->path.starts_with("/v1/")) return true;
  const std::string client = Admission::client_key(exchange);
  const RateTier& tier = tier_for(exchange);
  const bool batch = exchange.record->operation == "batch";
  const double cost =
      batch ? 1.0 : policy_.costs.request_cost(exchange.record->operation, exchange.request.body().size());
  const RateDecision d = limiter_.take(client, tier, cost, clock_());
  if (!d.allowed) {
    metrics_.record_rejected("rate_limited");
    exchange.respond(too_many_requests(d, tier, cost, client, "", exchange.version()));
    return false;
  }
  exchange.respond = [respond = std::move(exchange.respond), d, tier](HttpResponse r) {
    // A batch refused for its items' cost already carries the newer numbers.
    if (r.find("RateLimit-Limit") == r.end()) set_rate_limit_headers(r, d, tier);
    respond(std::move(r));
  };
  if (batch) {
    exchange.check_batch_items =
        [previous = std::move(exchange.check_batch_items), client, tier, this,
         version = exchange.version()](const nlohmann::json& requests) -> std::optional<HttpResponse> {
      if (previous)
        if (auto refusal = previous(requests)) return refusal;
      double cost = 0;
      for (const auto& item : requests) cost += policy_.costs.batch_item_cost(item);
      if (cost <= 0) return std::nullopt;
      // The arrival charge (1) counts toward the batch, so a batch costing more than the burst passes on a
      // full bucket, as any request does.
      const RateDecision items = limiter_.take(client, tier, cost, clock_(), 1.0);
      if (items.allowed) return std::nullopt;
      metrics_.record_rejected("rate_limited");
      return too_many_requests(items, tier, cost, client, "requests", version);
    };
  }
  return true;
}

}  // namespace kzgd
