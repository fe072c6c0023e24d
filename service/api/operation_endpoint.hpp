// POST /v1/<operation>: one spec function. The body is the operation's JSON input object, or for the
// single-blob operations an application/octet-stream body (api/binary_layout.hpp). Parsing and the crypto run
// on the workers; the I/O thread only checks the media type and admits the work.
#pragma once

#include "api/admission.hpp"
#include "api/endpoint.hpp"
#include "api/operation_backend.hpp"

namespace kzgd {

class OperationEndpoint : public Endpoint {
 public:
  OperationEndpoint(const OperationBackend& backend, Admission& admission)
      : backend_(backend), admission_(admission) {}

  // exchange.record->operation names the operation (the router checked it exists).
  void handle(Exchange&& exchange) override;

 private:
  const OperationBackend& backend_;
  Admission& admission_;
};

}  // namespace kzgd
