// The published contract: the OpenAPI 3.1 document of kzgd's HTTP API (GET /openapi.json, `kzgd --openapi`),
// generated from the operation catalogue (each operation's path, parameters, output and binary form) and the error
// table (each status with the codes it carries). Nothing here is written by hand that the code already knows, so
// the document cannot drift from the service; tests/openapi validates every answer the HTTP tests receive against it.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace kzgd {

nlohmann::json openapi_document(std::string_view version);

}  // namespace kzgd
