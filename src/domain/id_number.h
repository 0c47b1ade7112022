// Identity documents: GB 11643-1999 resident ID numbers, passports and the
// Hong Kong/Macao and Taiwan travel permits, each by its own format.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace fx::domain {

enum class IdKind { resident, passport, hk_macao_permit, taiwan_permit };

// 居民身份证 / 护照 / 港澳居民来往内地通行证 / 台湾居民来往大陆通行证, and the
// English names; returns false for anything else. An empty text means resident.
bool parse_id_kind(std::string_view text, IdKind& kind);
const char* id_kind_name(IdKind kind);  // the Chinese name
const char* id_kind_code(IdKind kind);  // "resident", "passport", …

// The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the first 17 digits.
char resident_check_char(std::string_view first17);

// Validates and normalises a document number of `kind`. For resident IDs:
// 18 characters, the first 17 digits, a valid birth date (YYYYMMDD at 7–14,
// not in the future, not before 1800) and the right check character;
// a lower-case 'x' is accepted and upper-cased. `normalized` receives the
// canonical form. The error message says what is wrong in Chinese and English,
// and names the two spreadsheet mistakes Excel makes: an ID shown in
// scientific notation, and 17 digits with the final X lost.
Status validate_id_number(IdKind kind, std::string_view text, std::string& normalized);

// The birth date (YYYY-MM-DD) inside a valid resident ID number.
std::string resident_birth_date(std::string_view id);
// 'M' or 'F' from the 17th digit of a valid resident ID number.
char resident_gender(std::string_view id);

// 220102********123X: the first six and last four characters kept.
std::string mask_id_number(std::string_view id);

}  // namespace fx::domain
