#include "tac/db_path.hpp"

namespace dfx::tac {

Result<UserFile> resolve_db_location(std::string_view option, const GetEnv& getenv) {
  return locate_user_file(option, "DFX_DB", XdgBase::Data, "dfx.sqlite", getenv);
}

}  // namespace dfx::tac
