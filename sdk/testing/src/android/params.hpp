// Reading a behaviour module's "params" object with errors that point into
// the handset file ("/behavior/params/imei/1: ..."). Unknown keys are errors,
// as everywhere in the handset format.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dfx::testing::params {

/// Thrown inside a factory and turned into an error value at its boundary.
struct Error {
    std::string message;
};

class Reader {
public:
    Reader(const nlohmann::json& value, std::string path) : j_(&value), path_(std::move(path)) {}

    const nlohmann::json& value() const { return *j_; }
    const std::string& path() const { return path_; }
    [[noreturn]] void fail(const std::string& message) const { throw Error{path_ + ": " + message}; }

    /// Checks this is an object whose keys are all in `allowed`.
    void expect_keys(std::initializer_list<std::string_view> allowed) const;
    std::optional<Reader> opt(std::string_view key) const;
    std::vector<Reader> array() const;
    /// Members of an object, in the object's (sorted) key order.
    std::vector<std::pair<std::string, Reader>> members() const;

    std::string str() const;
    bool boolean() const;
    /// A JSON number or a "0x..." hex string, at most `max`.
    std::uint64_t uint(std::uint64_t max) const;
    /// One string, or an array of strings.
    std::vector<std::string> strings() const;
    template <typename T>
    T one_of(std::initializer_list<std::pair<std::string_view, T>> choices) const {
        const auto s = str();
        std::string list;
        for (const auto& [name, value] : choices) {
            if (name == s) return value;
            list += (list.empty() ? "" : ", ") + std::string(name);
        }
        fail("expected one of " + list + ", got \"" + s + "\"");
    }

private:
    const nlohmann::json* j_;
    std::string path_;
};

/// Luhn check of a digit string (IMEI: 15 digits).
bool luhn_valid(std::string_view digits);

}  // namespace dfx::testing::params
