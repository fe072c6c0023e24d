// Who may call the debug endpoints (/debug/*). They expose internals (memory, timings, health detail) and run
// the engine's self-test, so they need the admin permission. Without API keys (auth off) only clients on the
// loopback interface are admitted; this one function holds that decision, so that an API-key check can be
// combined with it in one place.
#pragma once

#include <optional>
#include <string_view>

#include "engine/common/result.hpp"
#include "service/http/http_server.hpp"

namespace kzgd {

// True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z; `client` is the transport's "ip:port" or "[ip]:port".
bool is_loopback_client(std::string_view client);

// True when the request names a client other than its TCP peer (X-Forwarded-For, Forwarded, X-Real-IP,
// X-Forwarded-Host): it came through a proxy.
bool is_proxied(const HttpRequest& request);

// nullopt when the request may use the debug endpoints, else the 403 error to answer with. `authenticated`: the
// request came with an API key, which the auth filter (service/api/filters/auth_filter.hpp) has already checked for the
// admin permission that /debug/* needs; such requests are admitted from any address. Without a key only a direct
// loopback peer is admitted: never a proxied request (is_proxied), whatever its peer or claimed client.
std::optional<kzg::Error> debug_access_denied(const HttpRequest& request, const RequestInfo& info,
                                              bool authenticated = false);

}  // namespace kzgd
