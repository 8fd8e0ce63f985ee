#include "register_store/location.hpp"

namespace dfx::register_store {

Result<std::filesystem::path> resolve_register_path(std::string_view explicit_path,
                                                    const GetEnv& getenv) {
  auto where =
      locate_user_file(explicit_path, "DFX_REGISTER_DB", XdgBase::Data, "register.sqlite", getenv);
  if (!where) return tl::unexpected(std::move(where.error()));
  return where->path;
}

}  // namespace dfx::register_store
