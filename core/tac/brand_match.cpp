#include "tac/brand_match.hpp"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <vector>

namespace dfx::tac {
namespace {

// Words that say what kind of company it is, not which one. Dropped after the first word.
constexpr std::string_view kCorporateWords[] = {
    "ab",
    "ag",
    "as",
    "asa",
    "bv",
    "co",
    "communication",
    "communications",
    "comms",
    "company",
    "computer",
    "corp",
    "corporation",
    "device",
    "devices",
    "electronic",
    "electronics",
    "gmbh",
    "group",
    "handsets",
    "holding",
    "holdings",
    "inc",
    "incorporated",
    "industries",
    "international",
    "intl",
    "kk",
    "limited",
    "llc",
    "lp",
    "ltd",
    "mobile",
    "mobiles",
    "mobility",
    "nv",
    "oy",
    "oyj",
    "phone",
    "phones",
    "plc",
    "pte",
    "pty",
    "sa",
    "spa",
    "technologies",
    "technology",
    "telecom",
};

// Manufacturer strings that name a chipset, an OS or nothing: a phone in a boot, download or
// diagnostic mode reports these whatever its brand. Compared with the first word and with the
// whole compact name.
constexpr std::string_view kNotABrand[] = {
    "allwinner", "android",  "broadcom",   "default",          "generic",  "hisilicon",
    "intel",     "leadcore", "linux",      "marvell",          "mediatek", "mtk",
    "na",        "none",     "null",       "nvidia",           "qcom",     "qualcomm",
    "rockchip",  "sprd",     "spreadtrum", "texasinstruments", "unisoc",   "unknown",
    "usb",
};

// Compact name (words joined without spaces) -> the brand families it belongs to. A name not
// listed is its own family. Two names match when their families intersect.
struct Alias {
  std::string_view name;
  std::initializer_list<std::string_view> families;
};
const Alias kAliases[] = {
    {"hmd", {"nokia"}},
    {"hmdglobal", {"nokia"}},
    {"microsoft", {"microsoft", "nokia"}},  // Microsoft Mobile made Nokia phones 2014-2016
    {"sonyericsson", {"sony", "ericsson"}},
    {"lge", {"lg"}},
    {"rim", {"blackberry"}},
    {"researchinmotion", {"blackberry"}},
    {"tcl", {"tcl", "alcatel"}},  // TCL Communication sells phones as Alcatel
    {"tct", {"tcl", "alcatel"}},
    {"alcatel", {"alcatel", "tcl"}},
    {"alcatellucent", {"alcatel", "tcl"}},
    {"honor", {"honor", "huawei"}},  // a Huawei brand until 2020; old TACs say Huawei
    {"huawei", {"huawei", "honor"}},
    {"redmi", {"xiaomi"}},
    {"poco", {"xiaomi"}},
    {"pocophone", {"xiaomi"}},
    {"asustek", {"asus"}},
    {"benqsiemens", {"benq", "siemens"}},
    {"sagemcom", {"sagem"}},
};

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::vector<std::string> words(std::string_view name) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;  // inside parentheses
  const auto end_word = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (const char c : name) {
    if (c == '(') {
      ++depth;
      end_word();
    } else if (c == ')') {
      if (depth > 0) --depth;
      end_word();
    } else if (depth > 0 || c == '.' || c == '\'' || c == '-' || c == '&') {
      continue;
    } else if (is_ascii_alnum(c)) {
      cur.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      cur.push_back(c);  // part of a non-ASCII letter: keep as is
    } else {
      end_word();
    }
  }
  end_word();
  if (out.size() > 1) {
    const auto corporate = [](const std::string& w) {
      return std::find(std::begin(kCorporateWords), std::end(kCorporateWords), w) !=
             std::end(kCorporateWords);
    };
    out.erase(std::remove_if(out.begin() + 1, out.end(), corporate), out.end());
  }
  return out;
}

std::string join(const std::vector<std::string>& w, std::string_view sep) {
  std::string s;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i) s += sep;
    s += w[i];
  }
  return s;
}

bool is_not_a_brand(const std::vector<std::string>& w) {
  const auto listed = [](std::string_view s) {
    return std::find(std::begin(kNotABrand), std::end(kNotABrand), s) != std::end(kNotABrand);
  };
  return listed(w.front()) || listed(join(w, ""));
}

// The result may refer to `compact`, which must outlive it.
std::vector<std::string_view> families(const std::string& compact) {
  for (const auto& a : kAliases)
    if (a.name == compact) return {a.families.begin(), a.families.end()};
  return {compact};
}

// True when the words of the shorter name begin the longer one: "sony" / "sony ericsson".
bool word_prefix(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  return std::equal(shorter.begin(), shorter.end(), longer.begin());
}

std::string brand_and_model(const TacInfo& t) {
  return t.model.empty() ? t.brand : t.brand + " (" + t.model + ")";
}

}  // namespace

std::string_view to_string(BrandMatch m) noexcept {
  switch (m) {
    case BrandMatch::Match:
      return "match";
    case BrandMatch::Mismatch:
      return "mismatch";
    case BrandMatch::Unknown:
      return "unknown";
  }
  return "unknown";
}

std::string normalize_brand(std::string_view name) {
  return join(words(name), " ");
}

BrandMatch compare_brands(std::string_view reported_manufacturer, std::string_view tac_brand) {
  const auto a = words(reported_manufacturer);
  const auto b = words(tac_brand);
  if (a.empty() || b.empty() || is_not_a_brand(a) || is_not_a_brand(b)) return BrandMatch::Unknown;
  if (word_prefix(a, b)) return BrandMatch::Match;
  const std::string ca = join(a, ""), cb = join(b, "");
  const auto fa = families(ca);
  const auto fb = families(cb);
  for (const auto f : fa)
    if (std::find(fb.begin(), fb.end(), f) != fb.end()) return BrandMatch::Match;
  return BrandMatch::Mismatch;
}

std::optional<Finding> tac_mismatch_finding(std::string_view reported_manufacturer,
                                            const TacInfo& tac) {
  if (compare_brands(reported_manufacturer, tac.brand) != BrandMatch::Mismatch) return std::nullopt;
  return Finding{"tac_mismatch",
                 "the device reports manufacturer \"" + std::string(reported_manufacturer) +
                     "\" but TAC " + tac.tac + " is allocated to " + brand_and_model(tac) +
                     ": the IMEI may have been changed or copied from another device"};
}

}  // namespace dfx::tac
