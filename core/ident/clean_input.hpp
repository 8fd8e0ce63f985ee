// Internal: turns text as typed, printed on a label or sent by a scanner/modem into the bare
// characters of an identifier, remembering where each one came from so that rejections can
// point at the character the user typed. Fixed-size storage: no allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ident/identifier.hpp"

namespace dfx::ident::detail {

enum class CleanMode {
  Compact,  ///< numeric/hex kinds: drop python-stdnum's separators (space, dash) only
  Serial,   ///< free text: keep everything, collapse whitespace runs to one space
};

struct Cleaned {
  /// Longer values are only counted (they are too long for every kind).
  static constexpr std::size_t kCapacity = 72;

  std::string_view input;  ///< the original text
  // Left uninitialised on purpose (hot path): only the first min(size, kCapacity) are read.
  std::array<char, kCapacity> chars;  ///< kept characters (first byte of a non-ASCII one)
  std::array<std::uint32_t, kCapacity> offsets;  ///< byte offset of each in `input`
  std::size_t size = 0;  ///< number of kept characters, may exceed kCapacity

  std::optional<Kind> label_kind;       ///< the kind a recognised label names, if any
  std::string_view label;               ///< that label as typed ("" when none)
  bool hex_prefix = false;              ///< a 0x/0X prefix was removed (Compact mode only)
  std::uint32_t hex_prefix_offset = 0;  ///< byte offset of that prefix's 'x' in `input`

  /// The kept characters (at most kCapacity of them).
  std::string_view view() const noexcept {
    return {chars.data(), size < kCapacity ? size : kCapacity};
  }
  bool truncated() const noexcept { return size > kCapacity; }
  char operator[](std::size_t i) const noexcept { return chars[i]; }
};

/// Cleans `input` (see identifier.hpp for the rules). The result refers to `input`.
Cleaned clean(std::string_view input, CleanMode mode) noexcept;

/// 1-based character (code point) position of the byte at `byte_offset` in `text`.
std::size_t char_position(std::string_view text, std::size_t byte_offset) noexcept;

/// The character at `byte_offset` for a message: "'O'" for printable ASCII, "U+0007" for a
/// control character, "'é' (U+00E9)" for other characters.
std::string describe_char(std::string_view text, std::size_t byte_offset);

/// True when the character at `byte_offset` is an ASCII or C1 control character.
bool is_control_at(std::string_view text, std::size_t byte_offset) noexcept;

}  // namespace dfx::ident::detail
