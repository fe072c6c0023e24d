// The standard process_* metrics of Prometheus clients, read from /proc on Linux: resident and virtual
// memory, CPU seconds, open and maximum file descriptors, start time.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

namespace kzgd {

std::vector<prometheus::MetricFamily> collect_process_metrics();

}  // namespace kzgd
