#include "service/catalogue/operation_catalogue.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "service/api/codecs/binary_layout.hpp"
#include "service/security/operation_costs.hpp"
#include "service/security/operation_deadlines.hpp"
#include "service/security/permissions.hpp"

namespace kzgd {
namespace {

TEST(OperationCatalogue, NamesAreUniqueAndFound) {
  std::set<std::string_view> names;
  for (const OperationEntry& op : operation_catalogue()) {
    EXPECT_TRUE(names.insert(op.name).second) << op.name;
    EXPECT_EQ(find_operation_entry(op.name), &op);
    EXPECT_GT(op.cost, 0) << op.name;
    EXPECT_GT(op.deadline_seconds, 0) << op.name;
    EXPECT_EQ(op.items.empty(), op.item_json_bytes == 0) << op.name;
  }
  EXPECT_EQ(names.size(), 13u);
  EXPECT_EQ(find_operation_entry("echo"), nullptr);
}

// Every reader takes its facts from the catalogue.
TEST(OperationCatalogue, EveryReaderAgreesWithIt) {
  const OperationCosts costs;
  const OperationDeadlines deadlines;
  for (const OperationEntry& op : operation_catalogue()) {
    EXPECT_EQ(operation_permission(op.name), op.permission) << op.name;
    EXPECT_EQ(costs.unit_cost(op.name), op.cost) << op.name;
    EXPECT_EQ(OperationCosts::per_item(op.name), !op.items.empty()) << op.name;
    EXPECT_EQ(deadlines.seconds(op.name), op.deadline_seconds) << op.name;
    const BinaryLayout* layout = find_binary_layout(op.name);
    EXPECT_EQ(layout != nullptr, !op.binary.empty()) << op.name;
    if (layout) {
      EXPECT_EQ(layout->parts.size(), op.binary.size()) << op.name;
    }
  }
  EXPECT_EQ(operation_permission("compute_cells_and_kzg_proofs"), Permission::cells);
  EXPECT_EQ(costs.unit_cost("compute_cells_and_kzg_proofs"), 105);
  EXPECT_EQ(deadlines.seconds("verify_cell_kzg_proof_batch"), 30);
  EXPECT_EQ(deadlines.seconds(kBatchOperation), kBatchDeadlineSeconds);
  EXPECT_EQ(binary_layouts().size(), 6u);
  EXPECT_TRUE(find_operation_entry("verify_kzg_proof")->coalesce);
  EXPECT_TRUE(find_operation_entry("verify_blob_kzg_proof")->coalesce);
  EXPECT_TRUE(find_operation_entry("verify_cell_kzg_proof_batch")->coalesce);
}

// docs/security.md's cost table shows the catalogue's costs.
TEST(OperationCatalogue, TheSecurityGuidesCostTableMatches) {
  std::ifstream file(std::string(KZGD_SOURCE_DIR) + "/docs/security.md");
  ASSERT_TRUE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  const std::string doc = text.str();
  for (const OperationEntry& op : operation_catalogue()) {
    std::string name(1, '`');  // appended piecewise: GCC 12 warns falsely on "`" + std::string
    name.append(op.name).push_back('`');
    char cost[32];
    std::snprintf(cost, sizeof cost, "%g", op.cost);
    bool found = false;
    std::istringstream lines(doc);
    for (std::string line; std::getline(lines, line);) {
      const bool names_it = line.find(name + " |") != std::string::npos || line.find(name + ",") != std::string::npos;
      if (line.rfind("| ", 0) != 0 || !names_it) continue;
      const auto last = line.rfind("| ", line.size() - 3);
      const std::string tokens = line.substr(last + 2);
      std::string prefix(cost);
      prefix.push_back(' ');
      found = tokens.rfind(prefix, 0) == 0;
      if (found) break;
    }
    EXPECT_TRUE(found) << op.name << " costs " << cost << " tokens; docs/security.md's table says otherwise";
  }
}

}  // namespace
}  // namespace kzgd
