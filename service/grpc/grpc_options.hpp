// The gRPC listener's options (grpc.*): whether it runs and where it listens. Everything else (API keys, rate
// limits, access lists, TLS files, message size, deadlines) is shared with HTTP and read from those sections.
#pragma once

#include "service/config/section.hpp"
#include "service/http/server_options.hpp"

namespace kzgd {

struct GrpcOptions {
  bool enabled = true;
  ListenAddress listen{"127.0.0.1", 9090};
  // With tls.enabled, how often the gRPC listener re-reads the certificate, key and client CA files (gRPC
  // watches files; the HTTP listener re-reads them on SIGHUP).
  double tls_refresh_seconds = 10;

  static void declare(config::Section<GrpcOptions>& s);
};

}  // namespace kzgd
