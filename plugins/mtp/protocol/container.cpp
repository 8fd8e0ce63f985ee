#include "container.hpp"

#include <cstdio>

#include "le.hpp"

namespace dfx::mtp {
namespace {

std::vector<uint8_t> encode(ContainerType type, uint16_t code, uint32_t tid,
                            std::span<const uint8_t> body) {
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + body.size());
  put_u32(out, static_cast<uint32_t>(kHeaderSize + body.size()));
  put_u16(out, static_cast<uint16_t>(type));
  put_u16(out, code);
  put_u32(out, tid);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::vector<uint8_t> encode_params(ContainerType type, uint16_t code, uint32_t tid,
                                   std::span<const uint32_t> params) {
  std::vector<uint8_t> body;
  const std::size_t n = params.size() < kMaxParams ? params.size() : kMaxParams;
  for (std::size_t i = 0; i < n; ++i) put_u32(body, params[i]);
  return encode(type, code, tid, body);
}

}  // namespace

std::vector<uint8_t> encode_command(uint16_t code, uint32_t transaction_id,
                                    std::span<const uint32_t> params) {
  return encode_params(ContainerType::command, code, transaction_id, params);
}

std::vector<uint8_t> encode_response(uint16_t code, uint32_t transaction_id,
                                     std::span<const uint32_t> params) {
  return encode_params(ContainerType::response, code, transaction_id, params);
}

std::vector<uint8_t> encode_data(uint16_t code, uint32_t transaction_id,
                                 std::span<const uint8_t> payload) {
  return encode(ContainerType::data, code, transaction_id, payload);
}

Result<ContainerHeader> decode_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize)
    return fail(Errc::truncated, "container header: " + std::to_string(bytes.size()) +
                                     " bytes, a PTP container header has 12");
  ContainerHeader h;
  h.length = get_u32(bytes, 0);
  h.type = get_u16(bytes, 4);
  h.code = get_u16(bytes, 6);
  h.transaction_id = get_u32(bytes, 8);
  if (h.length < kHeaderSize)
    return fail(Errc::malformed, "container length " + std::to_string(h.length) +
                                     " at offset 0 is below the 12-byte header");
  return h;
}

Result<Container> decode_container(std::span<const uint8_t> bytes) {
  auto h = decode_header(bytes);
  if (!h) return fail(h.error());
  if (h->length != bytes.size())
    return fail(h->length > bytes.size() ? Errc::truncated : Errc::malformed,
                "container length " + std::to_string(h->length) + " at offset 0 but " +
                    std::to_string(bytes.size()) + " bytes received");
  Container c;
  c.header = *h;
  const auto body = bytes.subspan(kHeaderSize);
  switch (static_cast<ContainerType>(h->type)) {
    case ContainerType::data:
      c.payload.assign(body.begin(), body.end());
      return c;
    case ContainerType::command:
    case ContainerType::response:
    case ContainerType::event:
      if (body.size() % 4 != 0)
        return fail(Errc::malformed,
                    "container parameters at offset 12: " + std::to_string(body.size()) +
                        " bytes is not a whole number of u32 parameters");
      if (body.size() / 4 > kMaxParams)
        return fail(Errc::malformed,
                    "container parameters at offset 12: " + std::to_string(body.size() / 4) +
                        " parameters, at most 5 are allowed");
      for (std::size_t off = 0; off < body.size(); off += 4) c.params.push_back(get_u32(body, off));
      return c;
  }
  return fail(Errc::malformed,
              "container type " + std::to_string(h->type) + " at offset 4 is not 1, 2, 3 or 4");
}

std::string hex16(uint16_t value) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04X", value);
  return buf;
}

std::string response_code_name(uint16_t code) {
  const char* name = nullptr;
  switch (code) {
    case 0x2001:
      name = "OK";
      break;
    case 0x2002:
      name = "GeneralError";
      break;
    case 0x2003:
      name = "SessionNotOpen";
      break;
    case 0x2004:
      name = "InvalidTransactionID";
      break;
    case 0x2005:
      name = "OperationNotSupported";
      break;
    case 0x2006:
      name = "ParameterNotSupported";
      break;
    case 0x2007:
      name = "IncompleteTransfer";
      break;
    case 0x2008:
      name = "InvalidStorageID";
      break;
    case 0x2009:
      name = "InvalidObjectHandle";
      break;
    case 0x200A:
      name = "DevicePropNotSupported";
      break;
    case 0x200F:
      name = "AccessDenied";
      break;
    case 0x2019:
      name = "DeviceBusy";
      break;
    case 0x201D:
      name = "InvalidParameter";
      break;
    case 0x201E:
      name = "SessionAlreadyOpen";
      break;
    case 0x201F:
      name = "TransactionCancelled";
      break;
    default:
      break;
  }
  return name ? std::string(name) + " (" + hex16(code) + ")" : "response " + hex16(code);
}

std::string operation_name(uint16_t code) {
  const char* name = nullptr;
  switch (code) {
    case 0x1001:
      name = "GetDeviceInfo";
      break;
    case 0x1002:
      name = "OpenSession";
      break;
    case 0x1003:
      name = "CloseSession";
      break;
    case 0x1004:
      name = "GetStorageIDs";
      break;
    case 0x1005:
      name = "GetStorageInfo";
      break;
    case 0x1007:
      name = "GetObjectHandles";
      break;
    case 0x1014:
      name = "GetDevicePropDesc";
      break;
    case 0x1015:
      name = "GetDevicePropValue";
      break;
    default:
      break;
  }
  return name ? std::string(name) + " (" + hex16(code) + ")" : "operation " + hex16(code);
}

}  // namespace dfx::mtp
