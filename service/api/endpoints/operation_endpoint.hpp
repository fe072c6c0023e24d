// POST /v1/<operation>: one spec function. The body is the operation's JSON input object, or for the
// single-blob operations an application/octet-stream body (service/api/codecs/binary_layout.hpp). Parsing and the
// crypto run on the workers; the I/O thread only checks the media type and admits the work.
#pragma once

#include <vector>

#include "service/api/endpoints/endpoint.hpp"
#include "service/api/operation_backend.hpp"
#include "service/cache/result_cache.hpp"
#include "service/scheduling/admission.hpp"
#include "service/scheduling/request_coalescer.hpp"

namespace kzgd {

class OperationEndpoint : public Endpoint {
 public:
  // Requests for an operation one of the coalescers handles go through it (see
  // service/scheduling/request_coalescer.hpp).
  // With a cache, the operations it holds are answered through it (service/cache/result_cache.hpp).
  OperationEndpoint(const OperationBackend& backend, Admission& admission,
                    std::vector<RequestCoalescer*> coalescers = {}, ResultCache* cache = nullptr)
      : backend_(backend), admission_(admission), coalescers_(std::move(coalescers)), cache_(cache) {}

  // exchange.record->operation names the operation (the router checked it exists).
  void handle(Exchange&& exchange) override;

 private:
  RequestCoalescer* coalescer_for(const std::string& operation) const;

  const OperationBackend& backend_;
  Admission& admission_;
  const std::vector<RequestCoalescer*> coalescers_;
  ResultCache* const cache_;
};

}  // namespace kzgd
