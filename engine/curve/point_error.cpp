#include "engine/curve/point_error.hpp"

namespace kzg {

const char* to_string(PointError e) {
  switch (e) {
    case PointError::kOk:
      return "ok";
    case PointError::kBadLength:
      return "wrong number of bytes";
    case PointError::kNotCompressed:
      return "compression flag not set";
    case PointError::kBadInfinity:
      return "point at infinity with non-zero bits";
    case PointError::kNotCanonical:
      return "x coordinate not canonical (>= p)";
    case PointError::kNotOnCurve:
      return "not on the curve";
    case PointError::kNotInSubgroup:
      return "not in the prime-order subgroup";
  }
  return "invalid point";
}

}  // namespace kzg
