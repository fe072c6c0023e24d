// CircuitBreaker: stops the span exporter from calling a collector that keeps failing.
//
//   closed     calls go through; `failure_threshold` failures in a row open the breaker
//   open       calls are refused (their spans are dropped) until `open_for` has passed
//   half_open  one trial call goes through: success closes the breaker, failure opens it again
//
// Time is passed in, so the tests drive it without sleeping. Used by the exporter's thread; state() may be
// read from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <string_view>

namespace kzgd {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { closed, open, half_open };

  CircuitBreaker(unsigned failure_threshold, Clock::duration open_for);

  // Whether a call may go now; in the open state, the first call after open_for becomes the trial call.
  bool allow(Clock::time_point now);
  void record_success();
  void record_failure(Clock::time_point now);

  State state() const { return state_.load(); }
  // How many times the breaker opened.
  unsigned long long times_opened() const { return opened_count_.load(); }

 private:
  void open(Clock::time_point now);

  const unsigned failure_threshold_;
  const Clock::duration open_for_;
  std::atomic<State> state_{State::closed};
  unsigned consecutive_failures_ = 0;
  bool trial_in_flight_ = false;
  Clock::time_point opened_at_{};
  std::atomic<unsigned long long> opened_count_{0};
};

std::string_view to_string(CircuitBreaker::State state);

}  // namespace kzgd
