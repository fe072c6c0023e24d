// OperationDeadlines: how long a request of each operation may take, from its head's arrival to the start of
// its work. A request still waiting when its deadline passes is dropped unrun and answered 504; one whose
// estimated wait already exceeds it is refused at once with 503 (service/scheduling/worker_pool.hpp). A client lowers
// its request's deadline with X-Request-Timeout (never raises it). limits.deadlines overrides the defaults:
// "default=10, batch=30, verify_kzg_proof=2" (seconds; `batch` is POST /v1/batch).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.hpp"

namespace kzgd {

class OperationDeadlines {
 public:
  OperationDeadlines();  // the catalogue's: 10 s, 30 s for the batch verifications and POST /v1/batch

  // Error field "limits.deadlines".
  static kzg::Result<OperationDeadlines> with_overrides(std::string_view list);

  double seconds(std::string_view operation) const;

  const std::map<std::string, double, std::less<>>& table() const { return seconds_; }
  double default_seconds() const { return default_; }

 private:
  std::map<std::string, double, std::less<>> seconds_;
  double default_ = 10;
};

// X-Request-Timeout: seconds ("2.5", "2.5s") or milliseconds ("500ms"), more than 0 and at most an hour. The
// error names the header.
kzg::Result<double> parse_request_timeout(std::string_view text);

}  // namespace kzgd
