// The iPhone models dfx knows: what a ProductType (lockdown, e.g. "iPhone11,2") or a chip and
// board id pair (Recovery and DFU mode: CPID 0x8020, BDID 0x0E) means. The table is data
// (data/iphone_models.tsv), compiled in at build time.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace dfx::apple {

/// One row of data/iphone_models.tsv.
struct Model {
  std::string_view product_type;  ///< "iPhone11,2"
  std::string_view board;         ///< board configuration, "d321ap"
  uint32_t bdid;                  ///< board id
  uint32_t cpid;                  ///< chip id
  std::string_view name;          ///< marketing name, "iPhone XS"
  std::string_view variant;       ///< "GSM", "Global"...; empty when Apple made one
};

/// Every row of the table.
std::span<const Model> models();

/// The model with chip id `cpid` and board id `bdid`, or nullptr when the table has none.
const Model* model_by_chip(uint32_t cpid, uint32_t bdid);

/// The first model with this ProductType, or nullptr.
const Model* model_by_product_type(std::string_view product_type);

}  // namespace dfx::apple
