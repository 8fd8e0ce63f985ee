// What is sent for a batch of lookups, from the service's templates: pure, so that what a
// configuration sends can be tested (and shown) without a server. Batch requests hold one kind
// each, so that {kind} in a URL or body is never ambiguous.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "service_config.hpp"

namespace dfx::register_http {

/// One identifier to look up (kind and canonical form, as the host gives them).
struct Item {
  std::string kind;
  std::string identifier;
};

/// One HTTP request and the items it asks about.
struct PlannedRequest {
  std::string method;
  std::string url;
  std::string body;                ///< "" for GET
  std::vector<std::size_t> items;  ///< indices into the lookups given to plan_requests
};

/// The requests that ask about `items[i]` for every i in `which`, in order.
std::vector<PlannedRequest> plan_requests(const ServiceConfig& config, std::span<const Item> items,
                                          std::span<const std::size_t> which);

/// `tmpl` with {kind}, {identifier} and {prefix} replaced ({prefix}: the first `prefix_length`
/// hex characters of SHA-256 of the identifier). With `for_url`, the values are percent-encoded.
std::string fill(std::string_view tmpl, const Item& item, int prefix_length, bool for_url);

/// Lower-case hex SHA-256 of `text`.
std::string sha256_hex(std::string_view text);

/// RFC 3986 percent-encoding of everything but unreserved characters.
std::string percent_encode(std::string_view text);

}  // namespace dfx::register_http
