#include "service/grpc/grpc_options.hpp"

namespace kzgd {

void GrpcOptions::declare(config::Section<GrpcOptions>& s) {
  s.boolean("enabled", &GrpcOptions::enabled);
  s.custom(
      "listen", [](GrpcOptions& o, std::string_view t) { return parse_listen(t, o.listen); },
      [](const GrpcOptions& o) { return to_string(o.listen); });
  s.seconds("tls_refresh_seconds", &GrpcOptions::tls_refresh_seconds, 1, 3600);
}

}  // namespace kzgd
