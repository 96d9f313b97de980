#include "common/fields.h"

namespace nsearch {

const Field* FindField(std::string_view name) {
  for (const Field& field : kFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

bool IsPositional(std::string_view prefix) {
  for (const Field& field : kFields) {
    if (field.kind == FieldKind::kFreeText && field.prefix == prefix) return field.positional;
  }
  return true;
}

std::string FieldsHelp() {
  std::string fields = "Fields:", dates = "dates:";
  for (const Field& field : kFields) {
    if (field.kind == FieldKind::kDate) {
      dates.append(dates.size() == 6 ? " " : ", ").append(field.example);
    } else {
      fields.append(" ").append(field.name).append(":");
    }
  }
  return fields + ";\n" + dates + ".\n";
}

}  // namespace nsearch
