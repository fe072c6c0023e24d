#include "service/tracing/circuit_breaker.hpp"

#include <algorithm>

namespace kzgd {

CircuitBreaker::CircuitBreaker(unsigned failure_threshold, Clock::duration open_for)
    : failure_threshold_(std::max(1u, failure_threshold)), open_for_(open_for) {}

bool CircuitBreaker::allow(Clock::time_point now) {
  switch (state_.load()) {
    case State::closed:
      return true;
    case State::open:
      if (now - opened_at_ < open_for_) return false;
      state_ = State::half_open;
      trial_in_flight_ = true;
      return true;
    case State::half_open:
      if (trial_in_flight_) return false;
      trial_in_flight_ = true;
      return true;
  }
  return false;
}

void CircuitBreaker::record_success() {
  consecutive_failures_ = 0;
  trial_in_flight_ = false;
  state_ = State::closed;
}

void CircuitBreaker::record_failure(Clock::time_point now) {
  trial_in_flight_ = false;
  if (state_.load() == State::half_open) return open(now);
  if (++consecutive_failures_ >= failure_threshold_) open(now);
}

void CircuitBreaker::open(Clock::time_point now) {
  state_ = State::open;
  opened_at_ = now;
  consecutive_failures_ = 0;
  ++opened_count_;
}

std::string_view to_string(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::closed:
      return "closed";
    case CircuitBreaker::State::open:
      return "open";
    case CircuitBreaker::State::half_open:
      return "half_open";
  }
  return "closed";
}

}  // namespace kzgd
