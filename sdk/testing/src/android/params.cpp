// Behaviour parameter reader (see params.hpp).
#include "params.hpp"

namespace dfx::testing::params {

void Reader::expect_keys(std::initializer_list<std::string_view> allowed) const {
    if (!j_->is_object()) fail("expected an object");
    for (const auto& [key, v] : j_->items()) {
        bool ok = false;
        for (auto a : allowed) ok = ok || a == key;
        if (ok) continue;
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Reader(v, path_ + "/" + key).fail("unknown key \"" + key + "\" (allowed: " + list + ")");
    }
}

std::optional<Reader> Reader::opt(std::string_view key) const {
    if (!j_->is_object() || !j_->contains(key)) return std::nullopt;
    return Reader((*j_)[std::string(key)], path_ + "/" + std::string(key));
}

std::vector<Reader> Reader::array() const {
    if (!j_->is_array()) fail("expected an array");
    std::vector<Reader> out;
    for (std::size_t i = 0; i < j_->size(); ++i) out.emplace_back((*j_)[i], path_ + "/" + std::to_string(i));
    return out;
}

std::vector<std::pair<std::string, Reader>> Reader::members() const {
    if (!j_->is_object()) fail("expected an object");
    std::vector<std::pair<std::string, Reader>> out;
    for (const auto& [key, v] : j_->items()) out.emplace_back(key, Reader(v, path_ + "/" + key));
    return out;
}

std::string Reader::str() const {
    if (!j_->is_string()) fail("expected a string");
    return j_->get<std::string>();
}

bool Reader::boolean() const {
    if (!j_->is_boolean()) fail("expected true or false");
    return j_->get<bool>();
}

std::uint64_t Reader::uint(std::uint64_t max) const {
    std::uint64_t v = 0;
    if (j_->is_number_unsigned()) {
        v = j_->get<std::uint64_t>();
    } else if (j_->is_number_integer()) {
        if (j_->get<std::int64_t>() < 0) fail("must not be negative");
        v = static_cast<std::uint64_t>(j_->get<std::int64_t>());
    } else if (j_->is_string()) {
        const auto s = j_->get<std::string>();
        if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s.size() > 18)
            fail("expected a number or a \"0x...\" hex string, got \"" + s + "\"");
        try {
            std::size_t used = 0;
            v = std::stoull(s.substr(2), &used, 16);
            if (used != s.size() - 2) fail("\"" + s + "\" is not a hex number");
        } catch (const std::logic_error&) {
            fail("\"" + s + "\" is not a hex number");
        }
    } else {
        fail("expected a number or a \"0x...\" hex string");
    }
    if (v > max) fail(std::to_string(v) + " is larger than " + std::to_string(max));
    return v;
}

std::vector<std::string> Reader::strings() const {
    if (j_->is_string()) return {str()};
    std::vector<std::string> out;
    for (const auto& r : array()) out.push_back(r.str());
    return out;
}

bool luhn_valid(std::string_view digits) {
    if (digits.empty()) return false;
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (*it < '0' || *it > '9') return false;
        int d = *it - '0';
        if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

}  // namespace dfx::testing::params
