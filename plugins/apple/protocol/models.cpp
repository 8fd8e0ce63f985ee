#include "models.hpp"

#include <array>

namespace dfx::apple {
namespace {

// Generated from data/iphone_models.tsv by CMakeLists.txt.
constexpr Model kModels[] = {
#include "iphone_models.inc"
};

}  // namespace

std::span<const Model> models() {
  return kModels;
}

const Model* model_by_chip(uint32_t cpid, uint32_t bdid) {
  for (const Model& m : kModels)
    if (m.cpid == cpid && m.bdid == bdid) return &m;
  return nullptr;
}

const Model* model_by_product_type(std::string_view product_type) {
  for (const Model& m : kModels)
    if (m.product_type == product_type) return &m;
  return nullptr;
}

}  // namespace dfx::apple
