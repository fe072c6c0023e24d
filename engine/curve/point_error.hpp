// Why a byte string is not a valid group element.
#pragma once

namespace kzg {

enum class PointError {
  kOk = 0,
  kBadLength,      // wrong number of bytes
  kNotCompressed,  // compression flag (bit 7 of byte 0) is clear
  kBadInfinity,    // infinity flag set but other bits non-zero (or sign flag set)
  kNotCanonical,   // x coordinate >= p
  kNotOnCurve,     // no y for this x
  kNotInSubgroup,  // on the curve but not in the r-torsion subgroup
};

// A short, user-facing description ("not in the G1 subgroup", ...).
const char* to_string(PointError e);

}  // namespace kzg
